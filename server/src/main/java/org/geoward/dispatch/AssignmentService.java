package org.geoward.dispatch;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.geoward.alert.AlertAssignments;
import org.geoward.alert.AlertChanged;
import org.geoward.clock.SteadyClock;
import org.geoward.problem.ProblemException;

/**
 * The steps of a dispatch: assign (an officer, or the nearest available), accept, arrive (by hand or from the
 * officer's fixes). Each step runs in one transaction that also writes its {@code alert_event} row, and publishes
 * {@link AlertChanged} after commit. Thread-safe.
 */
@Singleton
public class AssignmentService {
    private final JdbcOperations jdbc;
    private final AlertAssignments alerts;
    private final TransactionOperations<Connection> transactions;
    private final ApplicationEventPublisher<AlertChanged> publisher;
    private final Booking booking;
    private final NearestOfficers nearest;
    private final Timeline timeline;
    private final DispatchSettings settings;
    private final Clock clock;

    AssignmentService(
            JdbcOperations jdbc,
            AlertAssignments alerts,
            TransactionOperations<Connection> transactions,
            ApplicationEventPublisher<AlertChanged> publisher,
            Booking booking,
            NearestOfficers nearest,
            Timeline timeline,
            DispatchSettings settings,
            SteadyClock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.alerts = alerts;
        this.transactions = transactions;
        this.publisher = publisher;
        this.booking = booking;
        this.nearest = nearest;
        this.timeline = timeline;
        this.settings = settings;
    }

    /**
     * The {@code limit} available officers of the unit alert {@code alertId}'s type calls for, nearest its target
     * first; 404 when there is no such alert, 409 when it has no position.
     */
    List<Candidate> nearestOfficers(long alertId, int limit) {
        return read(() -> {
            Target target = Target.load(jdbc, alertId, false);
            if (!target.hasPosition()) {
                throw ProblemException.conflict("Alert " + alertId + " has no position to find officers near");
            }
            return nearest.find(target.lon(), target.lat(), settings.unitFor(target.type()), limit, List.of());
        });
    }

    /**
     * Assigns alert {@code alertId} to officer {@code officerId}, or to the nearest available officer of the unit
     * its type calls for when {@code officerId} is null. 409 when the alert is not OPEN or ACKNOWLEDGED, the officer
     * not AVAILABLE, or nobody is.
     */
    Assignment assign(long alertId, @Nullable Long officerId, String actor) {
        return write(alertId, events -> {
            Target target = Target.load(jdbc, alertId, true);
            Booking.requireAssignable(target);
            Instant now = clock.instant();
            Booking.Booked booked;
            if (officerId != null) {
                booked = booking.book(target, officerId, actor, "ASSIGNED", now, Map.of("nearest", false));
            } else {
                if (!target.hasPosition()) {
                    throw ProblemException.conflict("Alert " + alertId + " has no position to find officers near");
                }
                booked = booking.bookNearest(target, List.of(), actor, "ASSIGNED", now, Map.of("nearest", true))
                        .orElseThrow(() -> ProblemException.conflict("No officer of unit "
                                + settings.unitFor(target.type()) + " is AVAILABLE for alert " + alertId));
            }
            events.add(booked.step());
            return booked.assignment();
        });
    }

    /**
     * Assigns alert {@code alertId} to the officer dispatch would choose (its grid's own, else the nearest available
     * of its unit), for callers outside this package; empty when nobody is available or the alert is not assignable.
     */
    public Optional<String> assignNearest(long alertId, String actor) {
        try {
            return Optional.of(assign(alertId, null, actor).officerId());
        } catch (ProblemException e) {
            return Optional.empty();
        }
    }

    /** Records that the assigned officer accepted alert {@code alertId}; 403 for anyone else. */
    Assignment accept(long alertId, Caller caller) {
        return write(alertId, events -> {
            Target target = requireDispatched(Target.load(jdbc, alertId, true));
            if (!caller.isOfficer(target.assignedOfficerId())) {
                throw new ProblemException(
                        HttpStatus.FORBIDDEN,
                        "Alert " + alertId + " is assigned to officer " + target.assignedOfficerId()
                                + "; only that officer can accept it");
            }
            if (target.isAccepted()) {
                throw ProblemException.conflict("Alert " + alertId + " is already accepted");
            }
            Instant now = clock.instant();
            alerts.accept(alertId, now);
            events.add(timeline.step(
                    alertId, now, caller.username(), "ACCEPTED", "DISPATCHED", officerDetail(target, "HAND")));
            return step(target, "ACCEPTED");
        });
    }

    /** Records by hand that the assigned officer arrived; by that officer or a dispatcher, 403 for anyone else. */
    Assignment arrive(long alertId, Caller caller) {
        return write(alertId, events -> {
            Target target = requireDispatched(Target.load(jdbc, alertId, true));
            caller.requireDispatcherOr(target.assignedOfficerId(), "can record arrival at alert " + alertId);
            if (target.hasArrived()) {
                throw ProblemException.conflict("Arrival at alert " + alertId + " is already recorded");
            }
            events.add(recordArrival(target, clock.instant(), caller.username(), "HAND", null));
            return step(target, "ARRIVED");
        });
    }

    /**
     * Called by ingest for every fix of an officer: records the officer's arrival at the alert assigned to them when
     * the fix ({@code lon}, {@code lat} in WGS 84 degrees, event {@code time}) is within 50 m (configurable) of the
     * alert's target. Returns whether it recorded an arrival. Thread-safe; cheap when the officer has no open
     * assignment.
     */
    public boolean onOfficerFix(long officerId, double lon, double lat, Instant time) {
        Optional<Long> alertId = read(() -> jdbc.prepareStatement(
                "SELECT id FROM alert WHERE assigned_officer_id = ? AND status = 'DISPATCHED' AND arrived_at IS NULL",
                ps -> {
                    ps.setLong(1, officerId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
                    }
                }));
        if (alertId.isEmpty()) {
            return false;
        }
        Assignment arrived = write(alertId.get(), events -> {
            Target target = Target.load(jdbc, alertId.get(), true);
            if (!target.isDispatched()
                    || target.hasArrived()
                    || !Long.valueOf(officerId).equals(target.assignedOfficerId())
                    || !target.hasPosition()) {
                return null;
            }
            double metres = metresBetween(lon, lat, target.lon(), target.lat());
            if (metres > settings.arrivalMeters()) {
                return null;
            }
            events.add(recordArrival(target, time, Caller.SYSTEM, "FIX", metres));
            return step(target, "ARRIVED");
        });
        return arrived != null;
    }

    private Timeline.Step recordArrival(Target target, Instant at, String actor, String by, @Nullable Double metres) {
        alerts.arrive(target.alertId(), at);
        Map<String, Object> detail = officerDetail(target, by);
        if (metres != null) {
            detail.put("distanceMeters", Math.round(metres * 10) / 10.0);
        }
        return timeline.step(target.alertId(), at, actor, "ARRIVED", "DISPATCHED", detail);
    }

    private static Target requireDispatched(Target target) {
        if (!target.isDispatched() || target.assignedOfficerId() == null) {
            throw ProblemException.conflict(
                    "Alert " + target.alertId() + " is " + target.status() + ", not DISPATCHED to an officer");
        }
        return target;
    }

    private static Map<String, Object> officerDetail(Target target, String by) {
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("officerId", Long.toString(target.assignedOfficerId()));
        detail.put("by", by);
        return detail;
    }

    private static Assignment step(Target target, String action) {
        return new Assignment(
                Long.toString(target.alertId()),
                "DISPATCHED",
                Long.toString(target.assignedOfficerId()),
                null,
                null,
                null,
                null,
                action);
    }

    private double metresBetween(double lon1, double lat1, double lon2, double lat2) {
        return jdbc.prepareStatement(
                "SELECT ST_Distance(ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography,"
                        + " ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography)",
                ps -> {
                    ps.setDouble(1, lon1);
                    ps.setDouble(2, lat1);
                    ps.setDouble(3, lon2);
                    ps.setDouble(4, lat2);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getDouble(1);
                    }
                });
    }

    /** Runs {@code query} in a read-only transaction. */
    <T> T read(Supplier<T> query) {
        return transactions.executeRead(status -> query.get());
    }

    /**
     * Runs {@code work} in one transaction, writes the timeline steps it collected as the transaction's last
     * statements (under the timeline's ordering lock), and publishes an {@link AlertChanged} for each after commit. A
     * deadlock or a unique violation (a concurrent writer won) becomes 409.
     */
    <T> T write(long alertId, Function<List<Timeline.Step>, T> work) {
        List<Long> events = new ArrayList<>();
        T result;
        try {
            result = transactions.executeWrite(status -> {
                List<Timeline.Step> steps = new ArrayList<>();
                T done = work.apply(steps);
                events.clear();
                events.addAll(timeline.write(steps));
                return done;
            });
        } catch (DataAccessException e) {
            throw conflictOr(e);
        }
        for (long eventId : events) {
            publisher.publishEvent(new AlertChanged(alertId, eventId));
        }
        return result;
    }

    private static RuntimeException conflictOr(DataAccessException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && List.of("23505", "40001", "40P01").contains(sql.getSQLState())) {
                return ProblemException.conflict(
                        "Another dispatcher changed this alert or officer at the same moment; reload and try again");
            }
        }
        return e;
    }
}
