package org.geoward.dispatch;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/**
 * Writes the steps of dispatch on an alert's timeline ({@code alert_event}), inside the caller's transaction. The
 * caller publishes {@code AlertChanged} with the returned id after commit.
 */
@Singleton
final class Timeline {
    private final JdbcOperations jdbc;
    private final JsonMapper json;

    Timeline(JdbcOperations jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Records that {@code actor} did {@code action} to alert {@code alertId} at {@code at}, leaving it in {@code
     * status}; {@code detail} becomes the row's jsonb. Returns the event id.
     */
    long record(long alertId, Instant at, String actor, String action, String status, Map<String, ?> detail) {
        String detailJson;
        try {
            detailJson = json.writeValueAsString(detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jdbc.prepareStatement(
                "INSERT INTO alert_event (alert_id, at, actor, action, status, detail) VALUES (?, ?, ?, ?, ?, ?::jsonb)"
                        + " RETURNING id",
                ps -> {
                    ps.setLong(1, alertId);
                    ps.setTimestamp(2, Timestamp.from(at));
                    ps.setString(3, actor);
                    ps.setString(4, action);
                    ps.setString(5, status);
                    ps.setString(6, detailJson);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
    }
}
