package org.geoward.alert;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;

/**
 * The dispatch columns of an {@code alert} row (assigned officer, assigned, accepted and arrived times), written for
 * dispatch inside the caller's transaction, one statement each. Each returns the number of rows it changed, so that
 * the caller can tell a guard that did not hold (0) from a change (1). The timeline step that goes with a change is
 * the caller's to append through {@link AlertEvents}. Thread-safe.
 */
@Singleton
public class AlertAssignments {
    private final JdbcOperations jdbc;

    AlertAssignments(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Assigns alert {@code alertId} to officer {@code officerId} at {@code at} (DISPATCHED, not yet accepted nor
     * arrived), only if it is OPEN or ACKNOWLEDGED; 1 when it was, 0 when another writer got there first.
     */
    public int dispatch(long alertId, long officerId, Instant at) {
        return jdbc.prepareStatement(
                """
                UPDATE alert SET status = 'DISPATCHED', assigned_officer_id = ?, assigned_at = ?, accepted_at = NULL,
                                 arrived_at = NULL, updated_at = ?
                WHERE id = ? AND status IN ('OPEN', 'ACKNOWLEDGED')""",
                ps -> {
                    ps.setLong(1, officerId);
                    ps.setTimestamp(2, Timestamp.from(at));
                    ps.setTimestamp(3, Timestamp.from(at));
                    ps.setLong(4, alertId);
                    return ps.executeUpdate();
                });
    }

    /** Records that the assigned officer accepted alert {@code alertId} at {@code at}. */
    public int accept(long alertId, Instant at) {
        return jdbc.prepareStatement("UPDATE alert SET accepted_at = ?, updated_at = ? WHERE id = ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setLong(3, alertId);
            return ps.executeUpdate();
        });
    }

    /** Records the officer's arrival at alert {@code alertId} at {@code at}; an arrival implies acceptance. */
    public int arrive(long alertId, Instant at) {
        return jdbc.prepareStatement(
                "UPDATE alert SET arrived_at = ?, accepted_at = coalesce(accepted_at, ?), updated_at = ? WHERE id = ?",
                ps -> {
                    ps.setTimestamp(1, Timestamp.from(at));
                    ps.setTimestamp(2, Timestamp.from(at));
                    ps.setTimestamp(3, Timestamp.from(at));
                    ps.setLong(4, alertId);
                    return ps.executeUpdate();
                });
    }

    /**
     * Takes alert {@code alertId} back from its officer at {@code at}, to be offered again: back to {@code before}
     * (OPEN or ACKNOWLEDGED) without an officer, only if it was assigned before {@code assignedBefore}; 1 when it
     * was taken back, 0 when it had been assigned again meanwhile.
     */
    public int reoffer(long alertId, AlertStatus before, Instant at, Instant assignedBefore) {
        return jdbc.prepareStatement(
                """
                UPDATE alert SET status = ?, assigned_officer_id = NULL, assigned_at = NULL, updated_at = ?
                WHERE id = ? AND assigned_at < ?""",
                ps -> {
                    ps.setString(1, before.name());
                    ps.setTimestamp(2, Timestamp.from(at));
                    ps.setLong(3, alertId);
                    ps.setTimestamp(4, Timestamp.from(assignedBefore));
                    return ps.executeUpdate();
                });
    }

    /**
     * Removes the officers {@code officerIds} from the alerts assigned to them, except the alerts of the subjects
     * {@code keptWith} (which go with those subjects); returns how many alerts changed. For removing officers (the
     * demo city's reset): status and timeline stay as they are.
     */
    public int unassign(Collection<Long> officerIds, Collection<Long> keptWith) {
        return jdbc.prepareStatement(
                "UPDATE alert SET assigned_officer_id = NULL WHERE assigned_officer_id = ANY (?)"
                        + " AND subject_id <> ALL (?)",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("bigint", officerIds.toArray()));
                    ps.setArray(2, ps.getConnection().createArrayOf("bigint", keptWith.toArray()));
                    return ps.executeUpdate();
                });
    }
}
