package org.geoward.alert;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends steps to {@code alert_event}, the timeline that is also the SSE stream: the only writer of that table.
 * Every writer of an alert calls {@link #append} last in its transaction, which, in order:
 *
 * <ol>
 *   <li>frees the officer of each alert the steps resolve ({@link AssignmentRelease}, dispatch);
 *   <li>takes a transaction-scoped advisory lock, so event ids are handed out in commit order and a reader that has
 *       seen id n can never later meet a committed id below n (the lock is held only from here to the commit);
 *   <li>inserts each step and queues the messages it causes ({@link AlertOutbox}, the notification router).
 * </ol>
 */
@Singleton
public class AlertEvents {
    /** The advisory lock key that orders {@code alert_event} writers ("GWAE"). */
    private static final long LOCK_KEY = 0x47574145L;

    private final JdbcOperations jdbc;
    private final JsonMapper json;
    private final AssignmentRelease release;
    private final AlertOutbox outbox;

    AlertEvents(JdbcOperations jdbc, JsonMapper json, AssignmentRelease release, AlertOutbox outbox) {
        this.jdbc = jdbc;
        this.json = json;
        this.release = release;
        this.outbox = outbox;
    }

    /** Writes the steps in order, inside the caller's transaction; returns what to publish after the commit. */
    public List<AlertChanged> append(List<AlertStep> steps) {
        if (steps.isEmpty()) {
            return List.of();
        }
        for (AlertStep step : steps) {
            if (step.status() == AlertStatus.RESOLVED && "RESOLVED".equals(step.action())) {
                release.release(step.alertId());
            }
        }
        lockUntilCommit();
        List<AlertChanged> changed = new ArrayList<>(steps.size());
        for (AlertStep step : steps) {
            long id = insert(step);
            outbox.enqueue(id);
            changed.add(new AlertChanged(step.alertId(), id));
        }
        return changed;
    }

    private long insert(AlertStep step) {
        return jdbc.prepareStatement(
                """
                INSERT INTO alert_event (alert_id, at, actor, action, status, detail)
                VALUES (?, coalesce(?::timestamptz, clock_timestamp()), ?, ?, ?, ?::jsonb) RETURNING id""",
                ps -> {
                    ps.setLong(1, step.alertId());
                    if (step.at() == null) {
                        ps.setNull(2, Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        ps.setTimestamp(2, Timestamp.from(step.at()));
                    }
                    ps.setString(3, step.actor());
                    ps.setString(4, step.action());
                    ps.setString(5, step.status().name());
                    ps.setString(6, write(step));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
    }

    /**
     * Takes the transaction-scoped lock that orders every writer of {@code alert_event}; it is held until the caller's
     * transaction ends. {@link #append} takes it right before its inserts, which are the last statements of the
     * transaction.
     */
    void lockUntilCommit() {
        jdbc.prepareStatement("SELECT pg_advisory_xact_lock(?)", ps -> {
            ps.setLong(1, LOCK_KEY);
            return ps.execute();
        });
    }

    private String write(AlertStep step) {
        try {
            return json.writeValueAsString(step.detail());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
