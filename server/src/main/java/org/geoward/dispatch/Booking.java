package org.geoward.dispatch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.geoward.alert.AlertAssignments;
import org.geoward.problem.ProblemException;
import org.geoward.subject.OfficerStatuses;
import org.geoward.subject.TravelMode;

/**
 * Books an officer for an alert inside the caller's transaction, in the one order every writer follows (alert row
 * locked first, then the officer row): the officer BUSY if AVAILABLE ({@link OfficerStatuses#book}), then the alert
 * DISPATCHED if OPEN or ACKNOWLEDGED ({@link AlertAssignments#dispatch}), each checked by its row count. Under READ
 * COMMITTED a second transaction waiting on the same row re-reads it after the first commits and finds the condition
 * false, so it books nothing: one officer is never booked twice, one alert never assigned twice. The unique index
 * {@code alert_one_per_officer} backs this up.
 */
@Singleton
final class Booking {
    private final JdbcOperations jdbc;
    private final OfficerStatuses officers;
    private final AlertAssignments alerts;
    private final NearestOfficers nearest;
    private final Timeline timeline;
    private final DispatchSettings settings;

    Booking(
            JdbcOperations jdbc,
            OfficerStatuses officers,
            AlertAssignments alerts,
            NearestOfficers nearest,
            Timeline timeline,
            DispatchSettings settings) {
        this.jdbc = jdbc;
        this.officers = officers;
        this.alerts = alerts;
        this.nearest = nearest;
        this.timeline = timeline;
        this.settings = settings;
    }

    /** The booked officer and the timeline step that records it (written at the end of the transaction). */
    record Booked(Assignment assignment, Timeline.Step step) {}

    /**
     * Books officer {@code officerId} for the locked, assignable {@code target} and records {@code action}; 409 with
     * the reason when the officer is not available, 404 or 400 when there is no such officer.
     */
    Booked book(Target target, long officerId, String actor, String action, Instant at, Map<String, ?> extra) {
        Optional<Booked> booked = tryBook(target, officerId, actor, action, at, extra);
        return booked.orElseThrow(() -> whyNotAvailable(officerId));
    }

    /**
     * Books the nearest available officer of the unit {@code target}'s type calls for, leaving out {@code excluded};
     * empty when there is none. An officer taken meanwhile by another transaction is skipped for the next.
     */
    Optional<Booked> bookNearest(
            Target target, List<Long> excluded, String actor, String action, Instant at, Map<String, ?> extra) {
        if (!target.hasPosition()) {
            return Optional.empty();
        }
        String unit = settings.unitFor(target.type());
        for (Candidate candidate : nearest.find(target.lon(), target.lat(), unit, 10, excluded)) {
            Map<String, Object> detail = new LinkedHashMap<>(extra);
            detail.put("reason", candidate.reason().name());
            detail.put("why", candidate.why());
            Optional<Booked> booked = tryBook(target, candidate.id(), actor, action, at, detail);
            if (booked.isPresent()) {
                return booked;
            }
        }
        return Optional.empty();
    }

    /** Refuses with 409 unless {@code target} may be assigned now (OPEN or ACKNOWLEDGED). */
    static void requireAssignable(Target target) {
        if (target.isResolved()) {
            throw ProblemException.conflict("Alert " + target.alertId() + " is RESOLVED; it cannot be assigned");
        }
        if (target.isDispatched()) {
            throw ProblemException.conflict("Alert " + target.alertId() + " is already DISPATCHED to officer "
                    + target.assignedOfficerId() + "; it cannot be assigned twice");
        }
    }

    private Optional<Booked> tryBook(
            Target target, long officerId, String actor, String action, Instant at, Map<String, ?> extra) {
        Optional<OfficerStatuses.Booked> officer = officers.book(officerId);
        if (officer.isEmpty()) {
            return Optional.empty();
        }
        if (alerts.dispatch(target.alertId(), officerId, at) != 1) {
            // the officer update is rolled back with the transaction
            throw ProblemException.conflict("Alert " + target.alertId() + " was assigned meanwhile");
        }
        TravelMode mode = officer.get().travelMode();
        Double metres = distanceMeters(target, officerId, mode);
        Long eta = metres == null ? null : nearest.etaSeconds(metres, mode);
        Map<String, Object> detail = new LinkedHashMap<>(extra);
        detail.put("officerId", Long.toString(officerId));
        detail.put("officerName", officer.get().name());
        detail.put("unit", officer.get().unit());
        detail.put("distanceMeters", metres);
        detail.put("etaSeconds", eta);
        Timeline.Step step = timeline.step(target.alertId(), at, actor, action, "DISPATCHED", detail);
        Assignment assignment = new Assignment(
                Long.toString(target.alertId()),
                "DISPATCHED",
                Long.toString(officerId),
                officer.get().name(),
                officer.get().unit(),
                metres,
                eta,
                action);
        return Optional.of(new Booked(assignment, step));
    }

    /** Metres from the officer's last fix to the target: geodesic, or along the river for a BOAT officer. */
    private @Nullable Double distanceMeters(Target target, long officerId, TravelMode mode) {
        if (!target.hasPosition()) {
            return null;
        }
        return jdbc.prepareStatement(
                "SELECT ST_Distance(pos, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography),"
                        + " ST_X(pos::geometry), ST_Y(pos::geometry) FROM subject_position WHERE subject_id = ?",
                ps -> {
                    ps.setDouble(1, target.lon());
                    ps.setDouble(2, target.lat());
                    ps.setLong(3, officerId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return null;
                        }
                        double metres = nearest.travelMeters(
                                mode, rs.getDouble(2), rs.getDouble(3), target.lon(), target.lat(), rs.getDouble(1));
                        return Math.round(metres * 10) / 10.0;
                    }
                });
    }

    /** The problem to report for an officer who could not be booked. */
    private ProblemException whyNotAvailable(long officerId) {
        return jdbc.prepareStatement(
                """
                SELECT s.kind, s.status,
                       (SELECT a.id FROM alert a WHERE a.assigned_officer_id = s.id AND a.status <> 'RESOLVED') AS alert
                FROM subject s WHERE s.id = ?""",
                ps -> {
                    ps.setLong(1, officerId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return ProblemException.notFound("Officer", officerId);
                        }
                        if (!"OFFICER".equals(rs.getString("kind"))) {
                            return ProblemException.badRequest(
                                    "officerId", "Subject " + officerId + " is not an officer");
                        }
                        long alert = rs.getLong("alert");
                        String busyWith = rs.wasNull() ? "" : " (assigned to alert " + alert + ")";
                        return new ProblemException(
                                HttpStatus.CONFLICT,
                                "Officer " + officerId + " is " + rs.getString("status") + busyWith
                                        + ", not AVAILABLE; choose another officer");
                    }
                });
    }
}
