package org.geoward.account;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
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
        for (long wardId : new LinkedHashSet<>(wardIds)) {
            jdbc.prepareStatement("INSERT INTO user_ward (user_id, ward_id) VALUES (?, ?)", ps -> {
                ps.setLong(1, id);
                ps.setLong(2, wardId);
                return ps.executeUpdate();
            });
        }
        return list(id).get(0);
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
