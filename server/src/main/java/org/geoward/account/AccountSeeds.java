package org.geoward.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.Collection;
import org.geoward.security.PasswordHasher;

/**
 * The accounts a seeder makes and removes (the demo city's), inside the caller's transaction: each is made or brought
 * up to date by its username, as {@code POST /api/users} would make it, without hashing a password again that the
 * stored hash already matches. Thread-safe.
 */
@Singleton
public class AccountSeeds {
    private final JdbcOperations jdbc;
    private final PasswordHasher hasher;

    AccountSeeds(JdbcOperations jdbc, PasswordHasher hasher) {
        this.jdbc = jdbc;
        this.hasher = hasher;
    }

    /**
     * Makes account {@code username} with {@code password} (plain text), {@code role} (a {@code Role} name) and
     * {@code subjectId}, or updates the stored one to them; links ward {@code wardId} to it when given. Returns the
     * account's id.
     */
    public long ensure(String username, String password, String role, @Nullable Long subjectId, @Nullable Long wardId) {
        Object[] stored = jdbc.prepareStatement("SELECT id, password_hash FROM app_user WHERE username = ?", ps -> {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Object[] {rs.getLong(1), rs.getString(2)} : null;
            }
        });
        long id;
        if (stored == null) {
            id = jdbc.prepareStatement(
                    "INSERT INTO app_user (username, password_hash, role, subject_id) VALUES (?, ?, ?, ?) RETURNING id",
                    ps -> {
                        ps.setString(1, username);
                        ps.setString(2, hasher.hash(password));
                        ps.setString(3, role);
                        ps.setObject(4, subjectId, Types.BIGINT);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    });
        } else {
            id = (Long) stored[0];
            String hash = hasher.matches(password, (String) stored[1]) ? (String) stored[1] : hasher.hash(password);
            jdbc.prepareStatement(
                    "UPDATE app_user SET password_hash = ?, role = ?, subject_id = ? WHERE id = ?", ps -> {
                        ps.setString(1, hash);
                        ps.setString(2, role);
                        ps.setObject(3, subjectId, Types.BIGINT);
                        ps.setLong(4, id);
                        return ps.executeUpdate();
                    });
        }
        if (wardId != null) {
            jdbc.prepareStatement(
                    "INSERT INTO user_ward (user_id, ward_id) VALUES (?, ?) ON CONFLICT DO NOTHING", ps -> {
                        ps.setLong(1, id);
                        ps.setLong(2, wardId);
                        return ps.executeUpdate();
                    });
        }
        return id;
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
