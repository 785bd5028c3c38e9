package org.geoward.dispatch;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.geoward.alert.AlertAssignments;
import org.geoward.alert.AlertStatus;
import org.geoward.clock.SteadyClock;
import org.geoward.evaluate.AlertType;
import org.geoward.lease.ClusterLease;
import org.geoward.subject.OfficerStatuses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes back assignments of automatically dispatched alert types that their officer has not accepted within {@code
 * geoward.dispatch.accept-timeout}, and offers each alert to the next nearest available officer who has not let it
 * time out before. Both steps go on the timeline in one transaction: {@code UNASSIGNED} (the officer, AVAILABLE
 * again) and {@code REASSIGNED} (the next officer), or only the first when nobody is left, which puts the alert back
 * to OPEN or ACKNOWLEDGED for a dispatcher. Safe on many nodes at once: each take-back re-checks the locked row.
 */
@Singleton
final class AcceptTimeouts {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptTimeouts.class);

    private final JdbcOperations jdbc;
    private final AlertAssignments alerts;
    private final OfficerStatuses officers;
    private final AssignmentService assignments;
    private final Booking booking;
    private final Timeline timeline;
    private final DispatchSettings settings;
    private final ClusterLease lease;
    /** The steady clock, as assignments are stamped with: a jump of the system clock makes none look late. */
    private final Clock clock;

    /**
     * SQL condition on {@code alert.id}: the alert's current assignment was made by the system (automatic dispatch
     * or an earlier take-back), not by a dispatcher. A dispatcher's choice is never taken back by the sweeper.
     */
    private static final String AUTOMATIC_ASSIGNMENT =
            """
            (SELECT e.actor FROM alert_event e
             WHERE e.alert_id = alert.id AND e.action IN ('ASSIGNED', 'REASSIGNED')
             ORDER BY e.id DESC LIMIT 1) = 'system'""";

    AcceptTimeouts(
            JdbcOperations jdbc,
            AlertAssignments alerts,
            OfficerStatuses officers,
            AssignmentService assignments,
            Booking booking,
            Timeline timeline,
            DispatchSettings settings,
            ClusterLease lease,
            SteadyClock clock) {
        this.clock = clock;
        this.lease = lease;
        this.jdbc = jdbc;
        this.alerts = alerts;
        this.officers = officers;
        this.assignments = assignments;
        this.booking = booking;
        this.timeline = timeline;
        this.settings = settings;
    }

    /** Runs every {@code geoward.dispatch.sweep-interval} (default 10 s). */
    @Scheduled(
            fixedDelay = "${geoward.dispatch.sweep-interval:10s}",
            initialDelay = "${geoward.dispatch.sweep-interval:10s}")
    void sweep() {
        // in a cluster, one node sweeps (the lease outlives three sweeps of 10 s)
        if (settings.automaticTypes().isEmpty() || !lease.holds("accept-timeouts", Duration.ofSeconds(30))) {
            return;
        }
        Instant cutoff = clock.instant().minus(settings.acceptTimeout());
        for (long alertId : expired(cutoff)) {
            try {
                takeBack(alertId, cutoff);
            } catch (RuntimeException e) {
                LOG.warn("Could not take back alert {}: {}", alertId, e.getMessage());
            }
        }
    }

    private List<Long> expired(Instant cutoff) {
        String[] types = settings.automaticTypes().stream().map(AlertType::name).toArray(String[]::new);
        return assignments.read(() -> jdbc.prepareStatement(
                """
                SELECT id FROM alert
                WHERE status = 'DISPATCHED' AND accepted_at IS NULL AND arrived_at IS NULL AND assigned_at < ?
                  AND type = ANY (?) AND """
                        + AUTOMATIC_ASSIGNMENT
                        + " ORDER BY assigned_at",
                ps -> {
                    ps.setTimestamp(1, Timestamp.from(cutoff));
                    ps.setArray(2, ps.getConnection().createArrayOf("text", types));
                    List<Long> ids = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                        }
                    }
                    return ids;
                }));
    }

    private void takeBack(long alertId, Instant cutoff) {
        assignments.write(alertId, events -> {
            Target target = Target.load(jdbc, alertId, true);
            Long officerId = target.assignedOfficerId();
            if (!target.isDispatched()
                    || target.isAccepted()
                    || target.hasArrived()
                    || officerId == null
                    || !isAutomaticAssignment(alertId)) {
                return null;
            }
            Instant now = clock.instant();
            String before = statusBeforeDispatch(alertId);
            if (alerts.reoffer(alertId, AlertStatus.valueOf(before), now, cutoff) != 1) {
                return null;
            }
            officers.free(officerId);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("officerId", Long.toString(officerId));
            detail.put("reason", "not accepted within " + settings.acceptTimeout());
            events.add(timeline.step(alertId, now, Caller.SYSTEM, "UNASSIGNED", before, detail));
            Target released2 = Target.load(jdbc, alertId, false);
            List<Long> excluded = new ArrayList<>(timedOutOfficers(alertId));
            excluded.add(officerId);
            Optional<Booking.Booked> next = booking.bookNearest(
                    released2,
                    excluded,
                    Caller.SYSTEM,
                    "REASSIGNED",
                    now,
                    Map.of("previousOfficerId", Long.toString(officerId)));
            next.ifPresent(booked -> events.add(booked.step()));
            LOG.info(
                    "Alert {} taken back from officer {}, offered to {}",
                    alertId,
                    officerId,
                    next.map(b -> b.assignment().officerId()).orElse("nobody"));
            return null;
        });
    }

    /** Whether alert {@code alertId}'s current assignment is an automatic one (see {@link #AUTOMATIC_ASSIGNMENT}). */
    private boolean isAutomaticAssignment(long alertId) {
        return jdbc.prepareStatement("SELECT " + AUTOMATIC_ASSIGNMENT + " FROM alert WHERE id = ?", ps -> {
            ps.setLong(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        });
    }

    /** OPEN, or ACKNOWLEDGED when somebody acknowledged the alert before it was dispatched. */
    private String statusBeforeDispatch(long alertId) {
        return jdbc.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM alert_event WHERE alert_id = ? AND action = 'ACKNOWLEDGED')", ps -> {
                    ps.setLong(1, alertId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBoolean(1) ? "ACKNOWLEDGED" : "OPEN";
                    }
                });
    }

    /** The officers who let alert {@code alertId} time out before: not offered it again. */
    private List<Long> timedOutOfficers(long alertId) {
        return jdbc.prepareStatement(
                "SELECT DISTINCT (detail->>'officerId')::bigint FROM alert_event WHERE alert_id = ? AND action = 'UNASSIGNED'",
                ps -> {
                    ps.setLong(1, alertId);
                    List<Long> ids = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                        }
                    }
                    return ids;
                });
    }
}
