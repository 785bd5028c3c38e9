package org.geoward.sensor;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.geoward.alert.AlertChanged;
import org.geoward.alert.AlertEvents;
import org.geoward.alert.AlertStatus;
import org.geoward.alert.AlertStep;
import org.geoward.alert.RaisedAlerts;
import org.geoward.dispatch.AssignmentService;
import org.geoward.evaluate.AlertType;
import org.geoward.evaluate.SubjectCategory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a home alarm into a located alert: in one transaction the alert of the alarm's type (at the home, or where
 * a worn tracker reported a fall) and its OPENED step, which the notification trigger turns into messages to the
 * ward's family and the dispatchers at once; after the commit, dispatch assigns the officer it would choose (the
 * grid's own, else the nearest available). The same alarm while its alert is open raises nothing new (at most one
 * open alert per ward and type). A door left open is an alarm only at night. Thread-safe.
 */
@Singleton
public class HomeAlarms {
    private static final Logger LOG = LoggerFactory.getLogger(HomeAlarms.class);

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;
    private final AlertEvents events;
    private final RaisedAlerts alerts;
    private final ApplicationEventPublisher<AlertChanged> publisher;
    private final AssignmentService assignments;
    private final SensorSettings settings;

    HomeAlarms(
            JdbcOperations jdbc,
            TransactionOperations<Connection> tx,
            AlertEvents events,
            RaisedAlerts alerts,
            ApplicationEventPublisher<AlertChanged> publisher,
            AssignmentService assignments,
            SensorSettings settings) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.alerts = alerts;
        this.publisher = publisher;
        this.assignments = assignments;
        this.settings = settings;
    }

    /**
     * One alarm: ward {@code subjectId}, alert {@code type} (a home alarm type), where (WGS 84 degrees) and when
     * (event time), and facts for the timeline (which sensor, which room).
     */
    public record Alarm(
            long subjectId, AlertType type, double lon, double lat, Instant time, Map<String, Object> facts) {
        public Alarm {
            if (!type.isHomeAlarm()) {
                throw new IllegalArgumentException(type + " is not a home alarm");
            }
            facts = facts == null ? Map.of() : Map.copyOf(facts);
        }
    }

    /** What an alarm came to. */
    public enum Outcome {
        /** A new alert was opened. */
        RAISED,
        /** The same alarm again while its alert is open (or a resend of one already recorded): nothing new. */
        REPEATED,
        /** A door open in the daytime: no alarm. */
        NOT_AT_NIGHT,
        /** The subject is not a ward, or its key population does not take this alert type. */
        NOT_APPLICABLE
    }

    /**
     * @param alertId the alert opened, or the open one a repeat belongs to; null when none
     * @param officerId the officer assigned at once, or null
     * @param reason why nothing was raised, or null
     */
    public record Result(Outcome outcome, Long alertId, String officerId, String reason) {}

    /**
     * The home alarm a tracker's alarm name stands for (GT06 {@code FALL} and {@code DOOR}, OsmAnd {@code
     * alarm=fall}), or empty for every other alarm (SOS is the evaluator's).
     */
    public static Optional<AlertType> ofTrackerAlarm(String alarm) {
        if (alarm == null) {
            return Optional.empty();
        }
        return switch (alarm.trim().toUpperCase(java.util.Locale.ROOT).replace("_", "")) {
            case "FALL", "FALLDOWN" -> Optional.of(AlertType.FALL);
            case "DOOR", "DOOROPEN" -> Optional.of(AlertType.DOOR_OPEN);
            default -> Optional.empty();
        };
    }

    /** Raises {@code alarm}; see the class comment. */
    public Result raise(Alarm alarm) {
        if (alarm.type() == AlertType.DOOR_OPEN && !settings.isNight(alarm.time())) {
            return new Result(
                    Outcome.NOT_AT_NIGHT,
                    null,
                    null,
                    "a door open is an alarm only at night (" + settings.night() + ")");
        }
        SensorKind kind = SensorKind.of(alarm.type());
        Written written = tx.executeWrite(s -> write(alarm, kind));
        written.changed().forEach(publisher::publishEvent);
        if (written.result().outcome() != Outcome.RAISED || !settings.dispatches()) {
            return written.result();
        }
        long alertId = written.result().alertId();
        Optional<String> officer = assignments.assignNearest(alertId, "system");
        if (officer.isEmpty()) {
            LOG.warn("{} alarm {} of ward {}: no officer available to send", alarm.type(), alertId, alarm.subjectId());
        }
        return new Result(Outcome.RAISED, alertId, officer.orElse(null), null);
    }

    private record Written(Result result, List<AlertChanged> changed) {}

    private Written write(Alarm alarm, SensorKind kind) {
        String refusal = refusal(alarm);
        if (refusal != null) {
            return new Written(new Result(Outcome.NOT_APPLICABLE, null, null, refusal), List.of());
        }
        String room = alarm.facts().get("room") instanceof String r && !r.isBlank() ? " · " + r : "";
        Long id = alerts.openAlarm(
                        alarm.type(),
                        alarm.subjectId(),
                        alarm.time(),
                        alarm.lon(),
                        alarm.lat(),
                        kind.label + room + " (" + alarm.type() + ", " + kind.priority + ")")
                .orElse(null);
        if (id == null) {
            return new Written(
                    new Result(Outcome.REPEATED, openAlert(alarm), null, "its alert is open already"), List.of());
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("priority", kind.priority.name());
        detail.putAll(alarm.facts());
        List<AlertChanged> changed =
                events.append(List.of(new AlertStep(id, "system", "OPENED", AlertStatus.OPEN, detail)));
        return new Written(new Result(Outcome.RAISED, id, null, null), changed);
    }

    /** Why the subject takes no alarm of this type, or null when it does. */
    private String refusal(Alarm alarm) {
        return jdbc.prepareStatement("SELECT kind, category FROM subject WHERE id = ?", ps -> {
            ps.setLong(1, alarm.subjectId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "subject " + alarm.subjectId() + " does not exist";
                }
                if (!"WARD".equals(rs.getString(1))) {
                    return "subject " + alarm.subjectId() + " is a " + rs.getString(1) + ", not a WARD";
                }
                String category = rs.getString(2);
                SubjectCategory c =
                        SubjectCategory.orDefault(category == null ? null : SubjectCategory.valueOf(category));
                return c.takes(alarm.type()) ? null : c + " wards take no " + alarm.type() + " alarms";
            }
        });
    }

    private Long openAlert(Alarm alarm) {
        return jdbc.prepareStatement(
                """
                SELECT id FROM alert WHERE subject_id = ? AND type = ? AND fence_id IS NULL AND status <> 'RESOLVED'
                ORDER BY id DESC LIMIT 1""",
                ps -> {
                    ps.setLong(1, alarm.subjectId());
                    ps.setString(2, alarm.type().name());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                });
    }
}
