package org.geoward.account;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which subjects a caller may see. ADMIN, DISPATCHER and (for now) OFFICER see every subject; a FAMILY user sees the
 * wards linked to their account ({@code user_ward}), those wards' guardians and their own subject; anyone else sees
 * nothing. Controllers answer 404 for a subject (or its alert, track, ...) the caller may not see, so ids cannot be
 * probed. Thread-safe.
 */
@Singleton
public class Visibility {
    private final JdbcOperations jdbc;

    public Visibility(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** The subject ids {@code authentication} may see, or empty when it may see all of them. */
    @Transactional
    public Optional<Set<Long>> visibleWards(Authentication authentication) {
        if (seesAll(authentication)) {
            return Optional.empty();
        }
        Long userId = claim(authentication, "uid");
        if (userId == null || !authentication.getRoles().contains("FAMILY")) {
            return Optional.of(Set.of());
        }
        Set<Long> visible = new HashSet<>();
        Long own = claim(authentication, "subjectId");
        if (own != null) {
            visible.add(own);
        }
        jdbc.prepareStatement(
                """
                SELECT uw.ward_id FROM user_ward uw WHERE uw.user_id = ?
                UNION
                SELECT wg.guardian_id FROM user_ward uw JOIN ward_guardian wg ON wg.ward_id = uw.ward_id
                WHERE uw.user_id = ?""",
                ps -> {
                    ps.setLong(1, userId);
                    ps.setLong(2, userId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            visible.add(rs.getLong(1));
                        }
                    }
                    return null;
                });
        return Optional.of(Set.copyOf(visible));
    }

    /** Whether {@code authentication} may see subject {@code subjectId} and what concerns it. */
    public boolean canSeeSubject(Authentication authentication, long subjectId) {
        return visibleWards(authentication).map(ids -> ids.contains(subjectId)).orElse(true);
    }

    /** Whether the caller sees every subject: ADMIN, DISPATCHER, OFFICER. */
    public static boolean seesAll(Authentication authentication) {
        return authentication.getRoles().stream()
                .anyMatch(r -> r.equals("ADMIN") || r.equals("DISPATCHER") || r.equals("OFFICER"));
    }

    /** The caller's user id (JWT claim {@code uid}), or null. */
    public static Long userId(Authentication authentication) {
        return claim(authentication, "uid");
    }

    private static Long claim(Authentication authentication, String name) {
        Object value = authentication.getAttributes().get(name);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s && !s.isBlank()) {
            return Long.valueOf(s);
        }
        return null;
    }
}
