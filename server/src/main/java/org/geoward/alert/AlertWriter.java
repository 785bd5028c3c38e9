package org.geoward.alert;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.geoward.evaluate.Transition;

/**
 * Turns the evaluator's transitions into {@code alert} rows, inside the caller's transaction. OPEN inserts an alert
 * unless the same alert (subject, fence, type and opening fix time: the idempotency key {@code alert_once}) exists
 * already, as it does when a replay decides it again; it relies on the unique index {@code alert_one_open} (one
 * unresolved alert per subject, fence and type): if one is already open, only its position moves. RESOLVE closes the
 * unresolved alert of that subject, fence and type opened at or before the resolving fix (so a replayed resolve never
 * closes a later episode's alert). Each change returns the {@link AlertStep} to append to the timeline.
 */
@Singleton
public class AlertWriter {
    /** The actor of every step the evaluator takes. */
    static final String SYSTEM = "system";

    private static final String POINT = "ST_SetSRID(ST_MakePoint(?::float8, ?::float8), 4326)::geography";

    private final JdbcOperations jdbc;

    AlertWriter(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Applies one transition.
     *
     * @param lastFixAt event time of the subject's latest fix (for OFFLINE: the fix before the silence)
     * @param evidenceUrl the deciding fix's evidence photo, or null
     */
    public Optional<AlertStep> apply(Transition t, Instant lastFixAt, String evidenceUrl) {
        return t.kind() == Transition.Kind.OPEN ? open(t, lastFixAt, evidenceUrl) : resolve(t);
    }

    private Optional<AlertStep> open(Transition t, Instant lastFixAt, String evidenceUrl) {
        return jdbc.prepareStatement(
                """
                INSERT INTO alert (type, status, subject_id, fence_id, opened_at, updated_at, pos, last_fix_at,
                                   evidence_url, detail)
                SELECT ?, 'OPEN', ?, ?::bigint, ?::timestamptz, now(), %s, ?::timestamptz, ?, ?
                WHERE NOT EXISTS (SELECT 1 FROM alert o WHERE o.subject_id = ? AND coalesce(o.fence_id, 0) = coalesce(?::bigint, 0)
                                                         AND o.type = ? AND o.opened_at = ?::timestamptz)
                ON CONFLICT (subject_id, coalesce(fence_id, 0), type) WHERE status <> 'RESOLVED' AND type <> 'WORK_ORDER'
                DO UPDATE SET pos = coalesce(EXCLUDED.pos, alert.pos), last_fix_at = EXCLUDED.last_fix_at,
                              updated_at = now()
                RETURNING id, (xmax = 0) AS inserted"""
                        .formatted(POINT),
                ps -> {
                    ps.setString(1, t.type().name());
                    ps.setLong(2, t.subjectId());
                    setLong(ps, 3, t.fenceId());
                    ps.setTimestamp(4, Timestamp.from(t.at()));
                    setPoint(ps, 5, t.lon(), t.lat());
                    ps.setTimestamp(7, lastFixAt == null ? null : Timestamp.from(lastFixAt));
                    ps.setString(8, evidenceUrl);
                    ps.setString(9, t.detail());
                    ps.setLong(10, t.subjectId());
                    setLong(ps, 11, t.fenceId());
                    ps.setString(12, t.type().name());
                    ps.setTimestamp(13, Timestamp.from(t.at()));
                    try (ResultSet rs = ps.executeQuery()) {
                        // no row: this very alert (same key) was raised before, and this is a replay of it
                        if (!rs.next() || !rs.getBoolean("inserted")) {
                            return Optional.empty();
                        }
                        return Optional.of(
                                new AlertStep(rs.getLong("id"), SYSTEM, "OPENED", AlertStatus.OPEN, detail(t)));
                    }
                });
    }

    private Optional<AlertStep> resolve(Transition t) {
        return jdbc.prepareStatement(
                """
                UPDATE alert SET status = 'RESOLVED', outcome = ?, resolved_at = ?, updated_at = now(),
                                 pos = coalesce(%s, pos), last_fix_at = greatest(last_fix_at, ?)
                WHERE subject_id = ? AND coalesce(fence_id, 0) = coalesce(?::bigint, 0) AND type = ? AND status <> 'RESOLVED'
                  AND opened_at <= ?
                RETURNING id"""
                        .formatted(POINT),
                ps -> {
                    ps.setString(1, t.outcome());
                    ps.setTimestamp(2, Timestamp.from(t.at()));
                    setPoint(ps, 3, t.lon(), t.lat());
                    ps.setTimestamp(5, Timestamp.from(t.at()));
                    ps.setLong(6, t.subjectId());
                    setLong(ps, 7, t.fenceId());
                    ps.setString(8, t.type().name());
                    ps.setTimestamp(9, Timestamp.from(t.at()));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        Map<String, Object> detail = detail(t);
                        detail.put("outcome", t.outcome());
                        return Optional.of(
                                new AlertStep(rs.getLong(1), SYSTEM, "RESOLVED", AlertStatus.RESOLVED, detail));
                    }
                });
    }

    /** A subject's newest fix of a batch, for {@link #followAll}. */
    public record Follow(long subjectId, Instant time, double lon, double lat, String evidenceUrl) {}

    /** Moves every unresolved alert of each subject to its newer fix (the alert follows the subject), in one statement. */
    public void followAll(List<Follow> follows) {
        if (follows.isEmpty()) {
            return;
        }
        int n = follows.size();
        Long[] ids = new Long[n];
        String[] times = new String[n];
        Double[] lons = new Double[n];
        Double[] lats = new Double[n];
        String[] evidence = new String[n];
        for (int i = 0; i < n; i++) {
            Follow f = follows.get(i);
            boolean known = Double.isFinite(f.lon()) && Double.isFinite(f.lat());
            ids[i] = f.subjectId();
            times[i] = f.time().toString();
            lons[i] = known ? f.lon() : null;
            lats[i] = known ? f.lat() : null;
            evidence[i] = f.evidenceUrl();
        }
        jdbc.prepareStatement(
                """
                UPDATE alert a SET pos = ST_SetSRID(ST_MakePoint(v.lon, v.lat), 4326)::geography,
                                   last_fix_at = v.t, updated_at = now(),
                                   evidence_url = coalesce(v.evidence, a.evidence_url)
                FROM (SELECT id, t::timestamptz AS t, lon, lat, evidence
                      FROM unnest(?::bigint[], ?::text[], ?::float8[], ?::float8[], ?::text[])
                           AS u(id, t, lon, lat, evidence)) v
                WHERE a.subject_id = v.id AND a.status <> 'RESOLVED' AND (a.last_fix_at IS NULL OR a.last_fix_at < v.t)""",
                ps -> {
                    var c = ps.getConnection();
                    ps.setArray(1, c.createArrayOf("bigint", ids));
                    ps.setArray(2, c.createArrayOf("text", times));
                    ps.setArray(3, c.createArrayOf("float8", lons));
                    ps.setArray(4, c.createArrayOf("float8", lats));
                    ps.setArray(5, c.createArrayOf("text", evidence));
                    return ps.executeUpdate();
                });
    }

    private static Map<String, Object> detail(Transition t) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", t.type().name());
        detail.put("fixTime", t.at().toString());
        if (Double.isFinite(t.lon()) && Double.isFinite(t.lat())) {
            detail.put("lon", t.lon());
            detail.put("lat", t.lat());
        }
        if (t.detail() != null) {
            detail.put("detail", t.detail());
        }
        return detail;
    }

    private static void setPoint(PreparedStatement ps, int index, double lon, double lat) throws SQLException {
        boolean known = Double.isFinite(lon) && Double.isFinite(lat);
        ps.setObject(index, known ? lon : null, Types.DOUBLE);
        ps.setObject(index + 1, known ? lat : null, Types.DOUBLE);
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        ps.setObject(index, value, Types.BIGINT);
    }
}
