package org.geoward.account;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.geoward.evaluate.AlertType;

/**
 * Which subjects a caller may see. ADMIN and DISPATCHER see every subject; a FAMILY user sees the wards linked to
 * their account ({@code user_ward}), those wards' guardians and their own subject; anyone else sees nothing. An
 * OFFICER's subject records and last positions are limited to their task ({@link #visibleSubjects}); for fences,
 * deliveries and the CAP feed an officer still counts as staff ({@link #visibleWards}). Controllers answer 404 for a
 * subject (or its alert, track, ...) the caller may not see, so ids cannot be probed. Thread-safe.
 */
@Singleton
public class Visibility {
    private final JdbcOperations jdbc;
    private final Map<AlertType, String> unitsByType = new EnumMap<>(AlertType.class);

    public Visibility(
            JdbcOperations jdbc, @Nullable @Property(name = "geoward.dispatch.units") Map<String, String> units) {
        this.jdbc = jdbc;
        for (AlertType type : AlertType.values()) {
            unitsByType.put(type, type == AlertType.LOITER ? "FISHERIES" : "POLICE");
        }
        if (units != null) {
            units.forEach((type, unit) -> {
                try {
                    unitsByType.put(AlertType.valueOf(type.trim().toUpperCase(Locale.ROOT)), unit.trim());
                } catch (IllegalArgumentException e) {
                    // an unknown type in the configuration: dispatch reports it at start
                }
            });
        }
    }

    /**
     * The subjects whose record and last position {@code authentication} may read, or empty when all of them. As
     * {@link #visibleWards}, except for an OFFICER (minimisation, docs/privacy.md): their own subject, and the
     * subjects of unresolved alerts that are assigned to them, of a type their unit answers
     * ({@code geoward.dispatch.units}), or inside a GRID fence they belong to; with those wards' guardians (whom they
     * may have to call). Nothing for an officer account without an officer subject.
     */
    @Transactional
    public Optional<Set<Long>> visibleSubjects(Authentication authentication) {
        var roles = authentication.getRoles();
        if (roles.contains("ADMIN") || roles.contains("DISPATCHER") || !roles.contains("OFFICER")) {
            return visibleWards(authentication);
        }
        Long officerId = claim(authentication, "subjectId");
        if (officerId == null) {
            return Optional.of(Set.of());
        }
        Condition theirs = officerAlerts(officerId);
        String sql = "WITH tasks AS (SELECT a.subject_id FROM alert a WHERE a.status <> 'RESOLVED' AND (" + theirs.sql()
                + " OR EXISTS (SELECT 1 FROM grid_officer g JOIN fence f ON f.id = g.fence_id"
                + " WHERE g.officer_id = ? AND f.kind = 'GRID' AND f.retired_at IS NULL AND a.pos IS NOT NULL"
                + " AND ST_Intersects(f.area, a.pos::geometry))))"
                + " SELECT subject_id FROM tasks"
                + " UNION SELECT wg.guardian_id FROM ward_guardian wg JOIN tasks t ON t.subject_id = wg.ward_id";
        Set<Long> visible = new HashSet<>();
        visible.add(officerId);
        jdbc.prepareStatement(sql, ps -> {
            int i = theirs.bind(ps, 1);
            ps.setLong(i, officerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    visible.add(rs.getLong(1));
                }
            }
            return null;
        });
        return Optional.of(Set.copyOf(visible));
    }

    /**
     * For an OFFICER, the condition on an alert aliased {@code a} that holds for the alerts of their task, as
     * {@code GET /api/alerts} shows them: assigned to them, or of a type their unit answers
     * ({@code geoward.dispatch.units}); {@code FALSE} for an officer account without an officer subject. Empty for every
     * other role: ADMIN and DISPATCHER see every alert, FAMILY and the rest are limited by {@link #visibleWards}. For
     * what concerns alerts and is not an alert's own route: the CAP feed, the notifications list.
     */
    public Optional<Condition> officerAlerts(Authentication authentication) {
        var roles = authentication.getRoles();
        if (roles.contains("ADMIN") || roles.contains("DISPATCHER") || !roles.contains("OFFICER")) {
            return Optional.empty();
        }
        Long officerId = claim(authentication, "subjectId");
        return Optional.of(officerId == null ? new Condition("FALSE", List.of()) : officerAlerts(officerId));
    }

    /**
     * For an OFFICER, the condition on an alert aliased {@code a} inside a GRID fence aliased {@code f} that holds for
     * the grid's open items they may see: every item of a grid they belong to (they answer for that place, and
     * {@link #visibleSubjects} lets them see its subjects), elsewhere only the alerts of their task
     * ({@link #officerAlerts}). Empty for every other role.
     */
    public Optional<Condition> officerGridItems(Authentication authentication) {
        Long officerId = claim(authentication, "subjectId");
        return officerAlerts(authentication).map(theirs -> {
            if (officerId == null) {
                return theirs;
            }
            List<Object> params = new ArrayList<>(theirs.params());
            params.add(officerId);
            return new Condition(
                    "(" + theirs.sql() + " OR EXISTS (SELECT 1 FROM grid_officer g"
                            + " WHERE g.fence_id = f.id AND g.officer_id = ?))",
                    List.copyOf(params));
        });
    }

    /**
     * Whether {@code authentication} is an OFFICER and alert {@code alertId} is not of their task
     * ({@link #officerAlerts}): such a caller gets 404 for it, as if it did not exist. False for every other role and
     * for an alert that does not exist.
     */
    @Transactional
    public boolean isOutsideOfficersTask(Authentication authentication, long alertId) {
        return officerAlerts(authentication)
                .map(theirs -> jdbc.prepareStatement(
                        "SELECT NOT coalesce(" + theirs.sql() + ", false) FROM alert a WHERE a.id = ?", ps -> {
                            int i = theirs.bind(ps, 1);
                            ps.setLong(i, alertId);
                            try (ResultSet rs = ps.executeQuery()) {
                                return rs.next() && rs.getBoolean(1);
                            }
                        }))
                .orElse(false);
    }

    private Condition officerAlerts(long officerId) {
        return officerAlerts(officerId, unitsByType);
    }

    /**
     * The condition on an alert aliased {@code a} that holds for the alerts of officer {@code officerId}'s task:
     * assigned to them, or of a type whose unit in {@code unitsByType} is theirs. The one statement of the rule, for
     * this class and for {@code GET /api/alerts}.
     */
    public static Condition officerAlerts(long officerId, Map<AlertType, String> unitsByType) {
        StringBuilder sql = new StringBuilder("(a.assigned_officer_id = ? OR CASE a.type");
        List<Object> params = new ArrayList<>();
        params.add(officerId);
        for (AlertType type : AlertType.values()) {
            sql.append(" WHEN ? THEN ?");
            params.add(type.name());
            params.add(unitsByType.get(type));
        }
        sql.append(" END = (SELECT s.unit FROM subject s WHERE s.id = ?))");
        params.add(officerId);
        return new Condition(sql.toString(), List.copyOf(params));
    }

    /** An SQL condition and its parameters, in order. */
    public record Condition(String sql, List<Object> params) {
        /** Binds the parameters from index {@code from} on; returns the next free index. */
        public int bind(PreparedStatement ps, int from) throws SQLException {
            int i = from;
            for (Object p : params) {
                ps.setObject(i++, p);
            }
            return i;
        }
    }

    /** Whether {@code authentication} may read subject {@code subjectId}'s record and last position. */
    public boolean canReadSubject(Authentication authentication, long subjectId) {
        return visibleSubjects(authentication)
                .map(ids -> ids.contains(subjectId))
                .orElse(true);
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
