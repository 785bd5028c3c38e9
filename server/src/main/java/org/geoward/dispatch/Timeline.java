package org.geoward.dispatch;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geoward.alert.AlertEvents;

/**
 * Writes the steps of dispatch on an alert's timeline ({@code alert_event}). A transaction first collects its steps
 * with {@link #step}, then {@link #write}s them as its last statements: under the ordering lock of {@link AlertEvents},
 * so event ids are handed out in commit order and the SSE cursor never skips a dispatch step. The caller publishes
 * {@code AlertChanged} with the returned ids after commit.
 */
@Singleton
final class Timeline {
    private final JdbcOperations jdbc;
    private final JsonMapper json;
    private final AlertEvents alertEvents;

    Timeline(JdbcOperations jdbc, JsonMapper json, AlertEvents alertEvents) {
        this.jdbc = jdbc;
        this.json = json;
        this.alertEvents = alertEvents;
    }

    /** One step waiting to be written: {@code actor} did {@code action} at {@code at}, leaving {@code status}. */
    record Step(long alertId, Instant at, String actor, String action, String status, Map<String, ?> detail) {}

    /** The step that {@code actor} did {@code action} to alert {@code alertId}; {@code detail} becomes jsonb. */
    Step step(long alertId, Instant at, String actor, String action, String status, Map<String, ?> detail) {
        return new Step(alertId, at, actor, action, status, new LinkedHashMap<>(detail));
    }

    /**
     * Inserts {@code steps} in order inside the caller's transaction, after taking the timeline's ordering lock (held
     * until commit); returns their event ids. Call it last in the transaction.
     */
    List<Long> write(List<Step> steps) {
        if (steps.isEmpty()) {
            return List.of();
        }
        alertEvents.lockUntilCommit();
        List<Long> ids = new ArrayList<>(steps.size());
        for (Step step : steps) {
            String detailJson = toJson(step.detail());
            ids.add(jdbc.prepareStatement(
                    "INSERT INTO alert_event (alert_id, at, actor, action, status, detail)"
                            + " VALUES (?, ?, ?, ?, ?, ?::jsonb) RETURNING id",
                    ps -> {
                        ps.setLong(1, step.alertId());
                        ps.setTimestamp(2, Timestamp.from(step.at()));
                        ps.setString(3, step.actor());
                        ps.setString(4, step.action());
                        ps.setString(5, step.status());
                        ps.setString(6, detailJson);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    }));
        }
        return ids;
    }

    private String toJson(Map<String, ?> detail) {
        try {
            return json.writeValueAsString(detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
