package org.geoward.dispatch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import java.sql.ResultSet;
import java.util.Optional;
import org.geoward.evaluate.AlertType;
import org.geoward.problem.ProblemException;

/**
 * An alert as dispatch sees it: where to go (the alert's position, or the subject's latest fix when that is newer,
 * so that the target follows a ward who is still moving), its status and its current officer.
 */
record Target(
        long alertId,
        AlertType type,
        String status,
        @Nullable Double lon,
        @Nullable Double lat,
        @Nullable Long assignedOfficerId,
        boolean isAccepted,
        boolean hasArrived) {

    private static final String SELECT =
            """
            SELECT a.id, a.type, a.status, a.assigned_officer_id, a.accepted_at IS NOT NULL AS accepted,
                   a.arrived_at IS NOT NULL AS arrived,
                   ST_X(t.pos::geometry) AS lon, ST_Y(t.pos::geometry) AS lat
            FROM alert a
            LEFT JOIN subject_position w ON w.subject_id = a.subject_id
            CROSS JOIN LATERAL (SELECT CASE WHEN w.time > coalesce(a.last_fix_at, a.opened_at) THEN w.pos
                                            ELSE a.pos END AS pos) t
            WHERE a.id = ?""";

    /** The alert {@code alertId}, or 404; with {@code forUpdate} its row stays locked until the transaction ends. */
    static Target load(JdbcOperations jdbc, long alertId, boolean forUpdate) {
        return find(jdbc, alertId, forUpdate).orElseThrow(() -> ProblemException.notFound("Alert", alertId));
    }

    static Optional<Target> find(JdbcOperations jdbc, long alertId, boolean forUpdate) {
        return jdbc.prepareStatement(SELECT + (forUpdate ? " FOR UPDATE OF a" : ""), ps -> {
            ps.setLong(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long officer = rs.getLong("assigned_officer_id");
                Long officerId = rs.wasNull() ? null : officer;
                double lon = rs.getDouble("lon");
                Double lonOrNull = rs.wasNull() ? null : lon;
                return Optional.of(new Target(
                        rs.getLong("id"),
                        AlertType.valueOf(rs.getString("type")),
                        rs.getString("status"),
                        lonOrNull,
                        lonOrNull == null ? null : rs.getDouble("lat"),
                        officerId,
                        rs.getBoolean("accepted"),
                        rs.getBoolean("arrived")));
            }
        });
    }

    boolean hasPosition() {
        return lon != null && lat != null;
    }

    boolean isResolved() {
        return "RESOLVED".equals(status);
    }

    boolean isDispatched() {
        return "DISPATCHED".equals(status);
    }
}
