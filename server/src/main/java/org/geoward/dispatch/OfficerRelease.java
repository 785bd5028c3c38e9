package org.geoward.dispatch;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import org.geoward.alert.AssignmentRelease;

/**
 * Makes an officer AVAILABLE again when the alert assigned to them is resolved, whoever resolves it (a person, the
 * evaluator, a work order's feedback): {@link org.geoward.alert.AlertEvents} calls it inside the resolving
 * transaction, before the RESOLVED step is written, so there is no moment in which the alert is RESOLVED and the
 * officer still BUSY. An officer who is OFF_DUTY (or anything but BUSY) is left as they are. Thread-safe.
 */
@Singleton
final class OfficerRelease implements AssignmentRelease {
    private final JdbcOperations jdbc;

    OfficerRelease(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void release(long alertId) {
        jdbc.prepareStatement(
                """
                UPDATE subject SET status = 'AVAILABLE'
                WHERE id = (SELECT assigned_officer_id FROM alert WHERE id = ?) AND status = 'BUSY'""",
                ps -> {
                    ps.setLong(1, alertId);
                    return ps.executeUpdate();
                });
    }
}
