package org.geoward.dispatch;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Async;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.util.Optional;
import org.geoward.alert.AlertChanged;
import org.geoward.evaluate.AlertType;
import org.geoward.problem.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assigns the nearest available officer, as {@code system}, to every alert whose type is listed in {@code
 * geoward.dispatch.auto} as soon as it opens (an {@link AlertChanged} whose event is {@code OPENED}). Runs on the
 * I/O executor, off the publisher's thread. An alert nobody is available for stays for a dispatcher.
 */
@Singleton
class AutoDispatch {
    private static final Logger LOG = LoggerFactory.getLogger(AutoDispatch.class);

    private final JdbcOperations jdbc;
    private final AssignmentService assignments;
    private final DispatchSettings settings;

    AutoDispatch(JdbcOperations jdbc, AssignmentService assignments, DispatchSettings settings) {
        this.jdbc = jdbc;
        this.assignments = assignments;
        this.settings = settings;
    }

    @EventListener
    @Async
    void onAlertChanged(AlertChanged changed) {
        if (settings.automaticTypes().isEmpty()) {
            return;
        }
        Optional<AlertType> opened = openedType(changed.eventId());
        if (opened.isEmpty() || !settings.isAutomatic(opened.get())) {
            return;
        }
        try {
            Assignment assignment = assignments.assign(changed.alertId(), null, Caller.SYSTEM);
            LOG.info("Alert {} assigned automatically to officer {}", changed.alertId(), assignment.officerId());
        } catch (ProblemException e) {
            LOG.info("Alert {} not assigned automatically: {}", changed.alertId(), e.getMessage());
        }
    }

    /** The type of the alert when event {@code eventId} opened it; empty for any other step. */
    private Optional<AlertType> openedType(long eventId) {
        return assignments.read(() -> jdbc.prepareStatement(
                "SELECT a.type FROM alert_event e JOIN alert a ON a.id = e.alert_id WHERE e.id = ? AND e.action = 'OPENED'",
                ps -> {
                    ps.setLong(1, eventId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(AlertType.valueOf(rs.getString(1))) : Optional.empty();
                    }
                }));
    }
}
