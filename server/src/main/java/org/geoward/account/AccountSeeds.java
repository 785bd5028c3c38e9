package org.geoward.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import org.geoward.security.Role;

/**
 * The accounts a seeder makes and removes (the demo city's), inside the caller's transaction: each is made or brought
 * up to date by its username through {@link AccountService#ensure}, with the statements {@code POST /api/users} makes
 * it with. Thread-safe.
 */
@Singleton
public class AccountSeeds {
    private final JdbcOperations jdbc;
    private final AccountService accounts;

    AccountSeeds(JdbcOperations jdbc, AccountService accounts) {
        this.jdbc = jdbc;
        this.accounts = accounts;
    }

    /**
     * Makes account {@code username} with {@code password} (plain text), {@code role} (a {@code Role} name) and
     * {@code subjectId}, or updates the stored one to them; links ward {@code wardId} to it when given. Returns the
     * account's id.
     */
    public long ensure(String username, String password, String role, @Nullable Long subjectId, @Nullable Long wardId) {
        return accounts.ensure(
                username, password, Role.valueOf(role), subjectId, wardId == null ? List.of() : List.of(wardId));
    }

    /**
     * Deletes the accounts whose username starts with {@code usernamePrefix} or that belong to one of {@code
     * subjectIds} (their ward links go with them); returns how many went.
     */
    public int delete(String usernamePrefix, Collection<Long> subjectIds) {
        return jdbc.prepareStatement(
                "DELETE FROM app_user WHERE starts_with(username, ?) OR subject_id = ANY (?)", ps -> {
                    ps.setString(1, usernamePrefix);
                    ps.setArray(2, ps.getConnection().createArrayOf("bigint", subjectIds.toArray()));
                    return ps.executeUpdate();
                });
    }
}
