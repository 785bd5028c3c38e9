package org.geoward.alert;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.geoward.evaluate.AlertType;

/**
 * The {@code alert} rows of alerts that no fence raises: a home sensor's alarm and a work order, opened and moved on
 * by their own packages through these statements, each one statement inside the caller's transaction. The timeline
 * steps that go with them are the caller's to append through {@link AlertEvents}. Thread-safe.
 */
@Singleton
public class RaisedAlerts {
    private static final String POINT = "ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography";

    private final JdbcOperations jdbc;

    RaisedAlerts(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Opens a sensor alarm of {@code type} for ward {@code subjectId} at {@code at} (event time), at {@code lon},
     * {@code lat} (WGS 84 degrees); empty when the same alert is open already (the unique index of open alerts).
     */
    public Optional<Long> openAlarm(AlertType type, long subjectId, Instant at, double lon, double lat, String detail) {
        return jdbc.prepareStatement(
                """
                INSERT INTO alert (type, status, subject_id, opened_at, updated_at, pos, last_fix_at, detail)
                VALUES (?, 'OPEN', ?, ?, now(), %s, ?, ?)
                ON CONFLICT DO NOTHING RETURNING id"""
                        .formatted(POINT),
                ps -> {
                    ps.setString(1, type.name());
                    ps.setLong(2, subjectId);
                    ps.setTimestamp(3, Timestamp.from(at));
                    ps.setDouble(4, lon);
                    ps.setDouble(5, lat);
                    ps.setTimestamp(6, Timestamp.from(at));
                    ps.setString(7, detail);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
                    }
                });
    }

    /**
     * Opens the WORK_ORDER alert of a work order reported about {@code subjectId} at {@code at}, at {@code lon},
     * {@code lat}; returns its id (which is the work order's id).
     */
    public long openWorkOrder(
            long subjectId, Instant at, double lon, double lat, String description, @Nullable String photo) {
        return jdbc.prepareStatement(
                """
                INSERT INTO alert (type, status, subject_id, opened_at, updated_at, pos, last_fix_at, detail,
                                   evidence_url)
                VALUES ('WORK_ORDER', 'OPEN', ?, ?, now(), %s, ?, ?, ?)
                RETURNING id"""
                        .formatted(POINT),
                ps -> {
                    ps.setLong(1, subjectId);
                    ps.setTimestamp(2, Timestamp.from(at));
                    ps.setDouble(3, lon);
                    ps.setDouble(4, lat);
                    ps.setTimestamp(5, Timestamp.from(at));
                    ps.setString(6, description);
                    ps.setString(7, photo);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
    }

    /** Sets the status of alert {@code alertId} (a work order being handled); returns how many rows changed. */
    public int setStatus(long alertId, AlertStatus status) {
        return jdbc.prepareStatement("UPDATE alert SET status = ?, updated_at = now() WHERE id = ?", ps -> {
            ps.setString(1, status.name());
            ps.setLong(2, alertId);
            return ps.executeUpdate();
        });
    }

    /**
     * Resolves the work order {@code alertId} as DONE with its {@code result} as the note; the RESOLVED step the
     * caller appends frees the officer. Returns how many rows changed.
     */
    public int resolveFromWorkOrder(long alertId, String result) {
        return jdbc.prepareStatement(
                """
                UPDATE alert SET status = 'RESOLVED', outcome = 'DONE', note = ?, resolved_at = now(),
                                 updated_at = now() WHERE id = ?""",
                ps -> {
                    ps.setString(1, result);
                    ps.setLong(2, alertId);
                    return ps.executeUpdate();
                });
    }
}
