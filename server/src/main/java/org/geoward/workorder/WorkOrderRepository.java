package org.geoward.workorder;

import io.micronaut.core.type.Argument;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.geoward.problem.ProblemException;

/** Reads work orders with their grid, unit and timeline; runs in the caller's transaction. Thread-safe. */
@Singleton
class WorkOrderRepository {
    /** A work order's row; its grid is the first live GRID fence covering it, its unit the one it was ordered to. */
    static final String SELECT =
            """
            SELECT a.id, a.status, a.subject_id, a.opened_at, a.resolved_at, a.assigned_officer_id,
                   ST_X(a.pos::geometry) AS lon, ST_Y(a.pos::geometry) AS lat,
                   w.category, w.severity, w.description, w.photos, w.source, w.source_alert_id, w.reporter,
                   w.deadline, w.result, w.result_photo, w.rating, w.rated_by,
                   coalesce(w.unit, o.unit, g.unit) AS unit, g.id AS grid_id, g.name AS grid_name
            FROM alert a JOIN work_order w ON w.alert_id = a.id
            LEFT JOIN subject o ON o.id = a.assigned_officer_id
            LEFT JOIN LATERAL (SELECT f.id, f.name, f.properties ->> 'unit' AS unit FROM fence f
                               WHERE f.kind = 'GRID' AND f.retired_at IS NULL AND ST_Covers(f.area, a.pos::geometry)
                               ORDER BY f.id LIMIT 1) g ON true""";

    private final JdbcOperations jdbc;
    private final JsonMapper json;

    WorkOrderRepository(JdbcOperations jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The work order {@code id} with its timeline, or 404. */
    WorkOrder load(long id) {
        return find(id).orElseThrow(() -> ProblemException.notFound("work order", id));
    }

    Optional<WorkOrder> find(long id) {
        List<WorkOrder> found = query(SELECT + " WHERE a.id = ?", List.of(id), true);
        return found.stream().findFirst();
    }

    /** The work orders opened in [from, to), newest first, optionally only those of one status, unit or grid. */
    List<WorkOrder> list(String status, String unit, Long gridId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM (" + SELECT + ") x WHERE true");
        List<Object> params = new ArrayList<>();
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status);
        }
        if (unit != null) {
            sql.append(" AND unit = ?");
            params.add(unit);
        }
        if (gridId != null) {
            sql.append(" AND grid_id = ?");
            params.add(gridId);
        }
        sql.append(" ORDER BY opened_at DESC, id DESC LIMIT ?");
        params.add(limit);
        return query(sql.toString(), params, false);
    }

    private List<WorkOrder> query(String sql, List<Object> params, boolean withTimeline) {
        return jdbc.prepareStatement(sql, ps -> {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<WorkOrder> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(read(rs, withTimeline ? timeline(rs.getLong("id")) : List.of()));
                }
            }
            return found;
        });
    }

    private WorkOrder read(ResultSet rs, List<WorkOrder.Step> timeline) throws SQLException {
        Instant deadline = rs.getTimestamp("deadline").toInstant();
        Instant resolved = instant(rs.getTimestamp("resolved_at"));
        Boolean met = null;
        if (resolved != null) {
            met = !resolved.isAfter(deadline);
        } else if (Instant.now().isAfter(deadline)) {
            met = false;
        }
        String severity = rs.getString("severity");
        Array photos = rs.getArray("photos");
        int rating = rs.getInt("rating");
        Integer ratingOrNull = rs.wasNull() ? null : rating;
        return new WorkOrder(
                Long.toString(rs.getLong("id")),
                rs.getString("status"),
                Category.valueOf(rs.getString("category")),
                severity == null ? null : Severity.valueOf(severity),
                rs.getString("description"),
                photos == null ? List.of() : Arrays.asList((String[]) photos.getArray()),
                Source.valueOf(rs.getString("source")),
                idOrNull(rs, "source_alert_id"),
                rs.getString("reporter"),
                idOrNull(rs, "subject_id"),
                rs.getDouble("lon"),
                rs.getDouble("lat"),
                rs.getTimestamp("opened_at").toInstant(),
                deadline,
                met,
                rs.getString("unit"),
                idOrNull(rs, "assigned_officer_id"),
                idOrNull(rs, "grid_id"),
                rs.getString("grid_name"),
                resolved,
                rs.getString("result"),
                rs.getString("result_photo"),
                ratingOrNull,
                rs.getString("rated_by"),
                timeline);
    }

    private List<WorkOrder.Step> timeline(long id) {
        return jdbc.prepareStatement(
                "SELECT id, at, actor, action, status, detail::text FROM alert_event WHERE alert_id = ? ORDER BY id",
                ps -> {
                    ps.setLong(1, id);
                    List<WorkOrder.Step> steps = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            steps.add(new WorkOrder.Step(
                                    Long.toString(rs.getLong(1)),
                                    rs.getTimestamp(2).toInstant(),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    detail(rs.getString(6))));
                        }
                    }
                    return steps;
                });
    }

    private Map<String, Object> detail(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String idOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Long.toString(value);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
