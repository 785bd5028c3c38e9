package org.geoward.alert;

import io.micronaut.core.type.Argument;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.geoward.account.Visibility;

/** Reads alerts, their timelines and the event stream as {@link AlertFeature}s. Thread-safe. */
@Singleton
class AlertQueries {
    private static final String COLUMNS =
            """
            a.id, a.type, a.status, a.subject_id, a.fence_id, a.opened_at, a.updated_at, a.resolved_at, a.outcome,
            a.assigned_officer_id, s.name AS subject_name, f.name AS fence_name, a.detail, a.note, a.evidence_url,
            a.last_fix_at, ST_X(a.pos::geometry) AS lon, ST_Y(a.pos::geometry) AS lat""";
    private static final String FROM =
            " FROM alert a JOIN subject s ON s.id = a.subject_id LEFT JOIN fence f ON f.id = a.fence_id";

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;
    private final JsonMapper json;

    AlertQueries(JdbcOperations jdbc, TransactionOperations<Connection> tx, JsonMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
    }

    /** The alerts that pass the filter, newest first. */
    List<AlertFeature> list(AlertFilter filter, Viewer viewer) {
        StringBuilder sql =
                new StringBuilder("SELECT ").append(COLUMNS).append(FROM).append(" WHERE true");
        List<Object> params = new ArrayList<>();
        if (!filter.statuses().isEmpty()) {
            sql.append(" AND a.status = ANY(?::text[])");
            params.add(filter.statuses().stream().map(Enum::name).toArray(String[]::new));
        }
        if (!filter.types().isEmpty()) {
            sql.append(" AND a.type = ANY(?::text[])");
            params.add(filter.types().stream().map(Enum::name).toArray(String[]::new));
        }
        if (filter.subjectId() != null) {
            sql.append(" AND a.subject_id = ?");
            params.add(filter.subjectId());
        }
        if (filter.fenceId() != null) {
            sql.append(" AND a.fence_id = ?");
            params.add(filter.fenceId());
        }
        if (filter.bbox() != null) {
            sql.append(" AND ST_Intersects(a.pos::geometry, ST_MakeEnvelope(?, ?, ?, ?, 4326))");
            for (double d : filter.bbox()) {
                params.add(d);
            }
        }
        if (filter.from() != null) {
            sql.append(" AND a.opened_at >= ?");
            params.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND a.opened_at < ?");
            params.add(Timestamp.from(filter.to()));
        }
        restrict(sql, params, viewer);
        sql.append(" ORDER BY a.opened_at DESC, a.id DESC LIMIT ? OFFSET ?");
        params.add(filter.limit());
        params.add(filter.offset());
        return query(sql.toString(), params, rs -> feature(rs));
    }

    /** One alert, if it exists and the viewer may see it. */
    Optional<AlertFeature> find(long id, Viewer viewer) {
        StringBuilder sql =
                new StringBuilder("SELECT ").append(COLUMNS).append(FROM).append(" WHERE a.id = ?");
        List<Object> params = new ArrayList<>(List.of(id));
        restrict(sql, params, viewer);
        return query(sql.toString(), params, this::feature).stream().findFirst();
    }

    /** The alert's timeline, oldest first. */
    List<AlertFeature.TimelineEntry> timeline(long alertId) {
        return query(
                "SELECT id, at, actor, action, status, detail::text FROM alert_event WHERE alert_id = ? ORDER BY id",
                List.of(alertId),
                this::entry);
    }

    /** Up to {@code limit} stream events after event id {@code cursor}, in id order, each with its alert. */
    List<StreamEvent> eventsAfter(long cursor, int limit, Viewer viewer) {
        StringBuilder sql = new StringBuilder("SELECT e.id AS event_id, e.at AS event_at, e.actor, e.action,"
                        + " e.status AS event_status, e.detail::text AS event_detail, ")
                .append(COLUMNS)
                .append(" FROM alert_event e JOIN alert a ON a.id = e.alert_id JOIN subject s ON s.id = a.subject_id")
                .append(" LEFT JOIN fence f ON f.id = a.fence_id WHERE e.id > ?");
        List<Object> params = new ArrayList<>(List.of(cursor));
        restrict(sql, params, viewer);
        sql.append(" ORDER BY e.id LIMIT ?");
        params.add(limit);
        return query(sql.toString(), params, rs -> {
            AlertFeature.TimelineEntry step = new AlertFeature.TimelineEntry(
                    Long.toString(rs.getLong("event_id")),
                    instant(rs, "event_at"),
                    rs.getString("actor"),
                    rs.getString("action"),
                    rs.getString("event_status"),
                    map(rs.getString("event_detail")));
            return new StreamEvent(rs.getLong("event_id"), feature(rs).withStep(step));
        });
    }

    /** The newest event id (0 when there is none): where a stream without Last-Event-ID starts. */
    long lastEventId() {
        return query("SELECT coalesce(max(id), 0) FROM alert_event", List.of(), rs -> rs.getLong(1))
                .get(0);
    }

    /** One SSE event: the {@code alert_event} id and the alert with its step. */
    record StreamEvent(long id, AlertFeature feature) {}

    private static void restrict(StringBuilder sql, List<Object> params, Viewer viewer) {
        Visibility.Condition restriction = viewer.restriction();
        if (restriction != null) {
            sql.append(" AND ").append(restriction.sql());
            params.addAll(restriction.params());
        }
    }

    /** Reads one row into a value. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> params, RowReader<T> reader) {
        return tx.executeRead(status -> jdbc.prepareStatement(sql, ps -> {
            bind(ps, params);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return rows;
        }));
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof String[] array) {
                ps.setArray(i + 1, ps.getConnection().createArrayOf("text", array));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    private AlertFeature feature(ResultSet rs) throws SQLException {
        double lon = rs.getDouble("lon");
        boolean noPosition = rs.wasNull();
        double lat = rs.getDouble("lat");
        AlertFeature.Properties p = new AlertFeature.Properties(
                Long.toString(rs.getLong("id")),
                rs.getString("type"),
                rs.getString("status"),
                Long.toString(rs.getLong("subject_id")),
                idOrNull(rs, "fence_id"),
                instant(rs, "opened_at"),
                instant(rs, "updated_at"),
                instant(rs, "resolved_at"),
                rs.getString("outcome"),
                idOrNull(rs, "assigned_officer_id"),
                rs.getString("subject_name"),
                rs.getString("fence_name"),
                rs.getString("detail"),
                rs.getString("note"),
                rs.getString("evidence_url"),
                instant(rs, "last_fix_at"));
        return new AlertFeature("Feature", noPosition ? null : AlertFeature.Point.of(lon, lat), p, null, null);
    }

    private AlertFeature.TimelineEntry entry(ResultSet rs) throws SQLException {
        return new AlertFeature.TimelineEntry(
                Long.toString(rs.getLong("id")),
                instant(rs, "at"),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("status"),
                map(rs.getString(6)));
    }

    private Map<String, Object> map(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String idOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Long.toString(v);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
