package org.geoward.account;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.geoward.problem.ProblemException;
import org.geoward.security.PasswordHasher;
import org.geoward.security.Role;

/** Creates and lists user accounts; a FAMILY account is linked to the wards it guards ({@code user_ward}). */
@Singleton
class AccountService {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{2,63}");
    private static final int MIN_PASSWORD = 10;
    private static final String SELECT =
            """
            SELECT u.id, u.username, u.role, u.subject_id, u.created_at,
                   ARRAY(SELECT uw.ward_id FROM user_ward uw WHERE uw.user_id = u.id ORDER BY uw.ward_id) AS wards
            FROM app_user u""";

    private final JdbcOperations jdbc;
    private final PasswordHasher hasher;

    AccountService(JdbcOperations jdbc, PasswordHasher hasher) {
        this.jdbc = jdbc;
        this.hasher = hasher;
    }

    /** Checks {@code draft} (400 naming the field, 409 for a taken name) and creates the account. */
    @Transactional
    Account create(UserDraft draft) {
        String username = draft.username() == null ? "" : draft.username().trim();
        if (!USERNAME.matcher(username).matches()) {
            throw ProblemException.badRequest(
                    "username", "username must be 3 to 64 letters, digits or . _ @ - and start with a letter or digit");
        }
        if (draft.password() == null || draft.password().length() < MIN_PASSWORD) {
            throw ProblemException.badRequest(
                    "password", "password must have at least " + MIN_PASSWORD + " characters");
        }
        if (PasswordHasher.tooLong(draft.password()) != null) {
            throw PasswordHasher.tooLong(draft.password());
        }
        Role role = role(draft.role());
        List<Long> wardIds = draft.wardIds() == null ? List.of() : draft.wardIds();
        checkWards(wardIds);
        if (role == Role.FAMILY && wardIds.isEmpty()) {
            throw ProblemException.badRequest("wardIds", "a FAMILY user needs at least one ward in wardIds");
        }
        if (draft.subjectId() != null && !subjectExists(draft.subjectId())) {
            throw ProblemException.badRequest("subjectId", "subject " + draft.subjectId() + " does not exist");
        }
        if (usernameTaken(username)) {
            throw ProblemException.conflict("username '" + username + "' is taken");
        }
        long id = insert(username, hasher.hash(draft.password()), role, draft.subjectId());
        link(id, wardIds);
        return list(id).get(0);
    }

    /**
     * Changes account {@code id}: role, wards (replaced), subject (0 unlinks) and password, each when given. 404 for
     * no such account; 400 naming the field; 409 when it would leave no ADMIN.
     */
    @Transactional
    Account update(long id, UserUpdate change) {
        Account current = one(id);
        Role role = change.role() == null ? Role.valueOf(current.role()) : role(change.role());
        List<Long> wardIds = change.wardIds() == null ? current.wardIds() : change.wardIds();
        checkWards(wardIds);
        if (role == Role.FAMILY && wardIds.isEmpty()) {
            throw ProblemException.badRequest("wardIds", "a FAMILY user needs at least one ward in wardIds");
        }
        Long given = change.subjectId() == null ? current.subjectId() : change.subjectId();
        Long subjectId = given == null || given == 0 ? null : given;
        if (subjectId != null && !subjectExists(subjectId)) {
            throw ProblemException.badRequest("subjectId", "subject " + subjectId + " does not exist");
        }
        if (change.password() != null) {
            checkPassword(change.password(), "password");
        }
        if (Role.ADMIN.name().equals(current.role()) && role != Role.ADMIN) {
            requireAnotherAdmin(id, "take the ADMIN role from");
        }
        write(id, role, subjectId, change.password() == null ? null : hasher.hash(change.password()));
        if (change.wardIds() != null) {
            jdbc.prepareStatement("DELETE FROM user_ward WHERE user_id = ?", ps -> {
                ps.setLong(1, id);
                return ps.executeUpdate();
            });
            link(id, wardIds);
        }
        return one(id);
    }

    /**
     * Makes account {@code username} with {@code password} (plain text), {@code role} and {@code subjectId} (may be
     * null), or brings the stored one up to them without hashing a password again that the stored hash already
     * matches; links the wards {@code wardIds} to it (keeping the links it has). For seeders, whose data is checked
     * already: no 400s. Returns the account's id.
     */
    @Transactional
    long ensure(String username, String password, Role role, Long subjectId, Collection<Long> wardIds) {
        String[] stored = jdbc.prepareStatement("SELECT id, password_hash FROM app_user WHERE username = ?", ps -> {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            }
        });
        long id;
        if (stored == null) {
            id = insert(username, hasher.hash(password), role, subjectId);
        } else {
            id = Long.parseLong(stored[0]);
            write(id, role, subjectId, hasher.matches(password, stored[1]) ? null : hasher.hash(password));
        }
        link(id, wardIds);
        return id;
    }

    /** Deletes account {@code id} (its ward links go with it); not one's own, not the last ADMIN. */
    @Transactional
    void delete(long id, String caller) {
        Account current = one(id);
        if (current.username().equals(caller)) {
            throw ProblemException.conflict("You cannot delete your own account (" + caller + ")");
        }
        if (Role.ADMIN.name().equals(current.role())) {
            requireAnotherAdmin(id, "delete");
        }
        jdbc.prepareStatement("DELETE FROM app_user WHERE id = ?", ps -> {
            ps.setLong(1, id);
            return ps.executeUpdate();
        });
    }

    /** Changes the caller's own password after checking the current one; 400 naming the field at fault. */
    @Transactional
    void changePassword(String username, PasswordChange change) {
        String hash = jdbc.prepareStatement("SELECT password_hash FROM app_user WHERE username = ? FOR UPDATE", ps -> {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
        if (change.oldPassword() == null || !hasher.matches(change.oldPassword(), hash)) {
            throw ProblemException.badRequest("oldPassword", "oldPassword is not this account's current password");
        }
        checkPassword(change.newPassword(), "newPassword");
        if (change.newPassword().equals(change.oldPassword())) {
            throw ProblemException.badRequest("newPassword", "newPassword must differ from the current one");
        }
        jdbc.prepareStatement("UPDATE app_user SET password_hash = ? WHERE username = ?", ps -> {
            ps.setString(1, hasher.hash(change.newPassword()));
            ps.setString(2, username);
            return ps.executeUpdate();
        });
    }

    private Account one(long id) {
        List<Account> found = list(id);
        if (found.isEmpty()) {
            throw ProblemException.notFound("user", id);
        }
        return found.get(0);
    }

    private static void checkPassword(String password, String field) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw ProblemException.badRequest(field, field + " must have at least " + MIN_PASSWORD + " characters");
        }
        ProblemException tooLong = PasswordHasher.tooLong(password);
        if (tooLong != null) {
            throw ProblemException.badRequest(field, tooLong.getMessage().replaceFirst("^password", field));
        }
    }

    private void requireAnotherAdmin(long id, String what) {
        long others = jdbc.prepareStatement("SELECT count(*) FROM app_user WHERE role = 'ADMIN' AND id <> ?", ps -> {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        if (others == 0) {
            throw ProblemException.conflict("Cannot " + what + " the last ADMIN account");
        }
    }

    /** Every account, or only the one with {@code id} when not null. */
    @Transactional
    List<Account> list(Long id) {
        return jdbc.prepareStatement(SELECT + (id == null ? " ORDER BY u.id" : " WHERE u.id = ?"), ps -> {
            if (id != null) {
                ps.setLong(1, id);
            }
            List<Account> accounts = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    accounts.add(read(rs));
                }
            }
            return accounts;
        });
    }

    private static Role role(String value) {
        try {
            return Role.valueOf(value == null ? "" : value.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("role", "role must be one of " + Arrays.toString(Role.values()));
        }
    }

    private void checkWards(List<Long> wardIds) {
        for (int i = 0; i < wardIds.size(); i++) {
            Long wardId = wardIds.get(i);
            String kind = wardId == null ? null : subjectKind(wardId);
            if (!"WARD".equals(kind)) {
                throw ProblemException.badRequest(
                        "wardIds[" + i + "]",
                        kind == null
                                ? "subject " + wardId + " does not exist"
                                : "subject " + wardId + " is a " + kind + ", not a WARD");
            }
        }
    }

    private String subjectKind(long id) {
        return jdbc.prepareStatement("SELECT kind FROM subject WHERE id = ?", ps -> {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    private boolean subjectExists(long id) {
        return subjectKind(id) != null;
    }

    private boolean usernameTaken(String username) {
        return jdbc.prepareStatement("SELECT 1 FROM app_user WHERE username = ?", ps -> {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    private long insert(String username, String hash, Role role, Long subjectId) {
        return jdbc.prepareStatement(
                "INSERT INTO app_user (username, password_hash, role, subject_id) VALUES (?, ?, ?, ?) RETURNING id",
                ps -> {
                    ps.setString(1, username);
                    ps.setString(2, hash);
                    ps.setString(3, role.name());
                    ps.setObject(4, subjectId, java.sql.Types.BIGINT);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
    }

    /** Sets account {@code id}'s role and subject, and its password hash unless {@code hash} is null. */
    private void write(long id, Role role, Long subjectId, String hash) {
        jdbc.prepareStatement(
                "UPDATE app_user SET role = ?, subject_id = ?, password_hash = coalesce(?, password_hash) WHERE id = ?",
                ps -> {
                    ps.setString(1, role.name());
                    ps.setObject(2, subjectId, java.sql.Types.BIGINT);
                    ps.setString(3, hash);
                    ps.setLong(4, id);
                    return ps.executeUpdate();
                });
    }

    /** Links the wards {@code wardIds} to account {@code id}; a link it has already stays as it is. */
    private void link(long id, Collection<Long> wardIds) {
        for (long wardId : new LinkedHashSet<>(wardIds)) {
            jdbc.prepareStatement(
                    "INSERT INTO user_ward (user_id, ward_id) VALUES (?, ?) ON CONFLICT DO NOTHING", ps -> {
                        ps.setLong(1, id);
                        ps.setLong(2, wardId);
                        return ps.executeUpdate();
                    });
        }
    }

    private static Account read(ResultSet rs) throws SQLException {
        Array wards = rs.getArray("wards");
        List<Long> wardIds = wards == null ? List.of() : Arrays.asList((Long[]) wards.getArray());
        long subject = rs.getLong("subject_id");
        return new Account(
                rs.getLong("id"),
                rs.getString("username"),
                rs.getString("role"),
                wardIds,
                rs.wasNull() ? null : subject,
                rs.getTimestamp("created_at").toInstant());
    }
}
