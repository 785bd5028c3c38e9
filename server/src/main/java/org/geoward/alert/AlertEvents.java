package org.geoward.alert;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends steps to {@code alert_event}, the timeline that is also the SSE stream. Every writer calls
 * {@link #append} last in its transaction: it takes a transaction-scoped advisory lock first, so event ids are
 * handed out in commit order and a reader that has seen id n can never later meet a committed id below n. The lock
 * is held only from these inserts to the commit.
 */
@Singleton
public class AlertEvents {
    /** The advisory lock key that orders {@code alert_event} writers ("GWAE"). */
    private static final long LOCK_KEY = 0x47574145L;

    private final JdbcOperations jdbc;
    private final JsonMapper json;

    AlertEvents(JdbcOperations jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Writes the steps in order, inside the caller's transaction; returns what to publish after the commit. */
    public List<AlertChanged> append(List<AlertStep> steps) {
        if (steps.isEmpty()) {
            return List.of();
        }
        lockUntilCommit();
        List<AlertChanged> changed = new ArrayList<>(steps.size());
        for (AlertStep step : steps) {
            long id = jdbc.prepareStatement(
                    """
                    INSERT INTO alert_event (alert_id, at, actor, action, status, detail)
                    VALUES (?, clock_timestamp(), ?, ?, ?, ?::jsonb) RETURNING id""",
                    ps -> {
                        ps.setLong(1, step.alertId());
                        ps.setString(2, step.actor());
                        ps.setString(3, step.action());
                        ps.setString(4, step.status().name());
                        ps.setString(5, write(step));
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    });
            changed.add(new AlertChanged(step.alertId(), id));
        }
        return changed;
    }

    /**
     * Takes the transaction-scoped lock that orders every writer of {@code alert_event}; it is held until the caller's
     * transaction ends. Every writer of the table (this class, the dispatch timeline) takes it right before its
     * inserts, which are the last statements of its transaction.
     */
    public void lockUntilCommit() {
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
