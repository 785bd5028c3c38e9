package org.geoward.notify;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.geoward.alert.AlertOutbox;
import org.geoward.evaluate.AlertType;
import org.geoward.evaluate.SubjectCategory;
import org.geoward.notify.Outbox.Message;
import org.geoward.subject.AlertUnits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is told about an alert step, with which text, on which channel: the one place that decides it. Called by
 * {@link org.geoward.alert.AlertEvents} for every step, inside the step's transaction, so the step and its messages
 * commit or roll back together; the delivery worker sends them later.
 *
 * <ul>
 *   <li>every step → WEBHOOK to each active subscription ("OPENED WANDER #12");
 *   <li>OPENED WANDER, DANGER, SOS, OFFLINE and the home alarms (GAS, SMOKE, WATER_LEAK, FALL, DOOR_OPEN) → the ward's guardians (SMS to guardian phones, IN_APP to FAMILY users
 *       of the ward), IN_APP to every DISPATCHER, and to the on-duty officers of the units the ward's category names
 *       ({@link CategoryRecipients}: IN_APP to their accounts, SMS to their phones), with the type's template;
 *   <li>RESOLVED with outcome RETURNED → the ward's guardians, with the RETURNED template ("back in the safe zone");
 *   <li>OPENED LOITER → IN_APP to the officers of the unit that answers LOITER ({@link AlertUnits}) with the
 *       LOITER_OFFICERS template, and the LOITER warning SMS to the visitor's phone (the subject's, else the latest
 *       their sightings reported), at most once per phone per quiet period ({@code geoward.notify.sms-quiet-hours}; a
 *       suppressed warning is kept with status SUPPRESSED).
 * </ul>
 *
 * Texts come from {@link MessageTexts} (editable templates). Thread-safe.
 */
@Singleton
public final class NotificationRouter implements AlertOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationRouter.class);

    private static final Set<String> GUARDIAN_TYPES =
            Set.of("WANDER", "DANGER", "SOS", "OFFLINE", "GAS", "SMOKE", "WATER_LEAK", "FALL", "DOOR_OPEN");

    private final JdbcOperations jdbc;
    private final Outbox outbox;
    private final MessageTexts texts;
    private final AlertUnits units;
    private final NotifySettings settings;
    private final CategoryRecipients recipients;
    private final QuietPeriods quiet;

    NotificationRouter(
            JdbcOperations jdbc,
            Outbox outbox,
            MessageTexts texts,
            AlertUnits units,
            NotifySettings settings,
            CategoryRecipients recipients,
            QuietPeriods quiet) {
        this.recipients = recipients;
        this.quiet = quiet;
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.texts = texts;
        this.units = units;
        this.settings = settings;
    }

    @Override
    public void enqueue(long eventId) {
        Occasion occasion = load(eventId);
        List<Message> messages = new ArrayList<>();
        for (String subscription : ids("SELECT id::text FROM webhook_subscription WHERE active ORDER BY id", null)) {
            messages.add(Message.pending(
                    ChannelKind.WEBHOOK,
                    subscription,
                    occasion.action() + " " + occasion.type() + " #" + occasion.alertId()));
        }
        if (occasion.isOpened() && GUARDIAN_TYPES.contains(occasion.type())) {
            String text = texts.render(TemplateKey.valueOf(occasion.type()), occasion);
            guardians(occasion, text, messages);
            for (String user : ids("SELECT id::text FROM app_user WHERE role = 'DISPATCHER' ORDER BY id", null)) {
                messages.add(Message.pending(ChannelKind.IN_APP, user, text));
            }
            if (occasion.subjectId() != null) {
                for (String unit : recipients.unitsFor(occasion.category())) {
                    if (!unitOnDuty(unit, text, messages)) {
                        LOG.warn(
                                "{} alert #{} of a {} ward: unit {} (geoward.notify.recipients) has no officer on duty,"
                                        + " so none of it is told",
                                occasion.type(),
                                occasion.alertId(),
                                SubjectCategory.orDefault(occasion.category()),
                                unit);
                    }
                }
            }
        } else if (occasion.isResolved() && "RETURNED".equals(occasion.outcome())) {
            guardians(occasion, texts.render(TemplateKey.RETURNED, occasion), messages);
        } else if (occasion.isOpened() && "LOITER".equals(occasion.type())) {
            String note = texts.render(TemplateKey.LOITER_OFFICERS, occasion);
            for (String user : ids(
                    """
                    SELECT u.id::text FROM app_user u JOIN subject o ON o.id = u.subject_id
                    WHERE u.role = 'OFFICER' AND o.unit = ? ORDER BY u.id""",
                    units.unitFor(AlertType.LOITER))) {
                messages.add(Message.pending(ChannelKind.IN_APP, user, note));
            }
            loiterer(occasion, messages);
        }
        outbox.enqueue(occasion, messages);
    }

    /** SMS to each guardian's phone, IN_APP to each FAMILY user linked to the ward. */
    private void guardians(Occasion occasion, String text, List<Message> messages) {
        if (occasion.subjectId() == null) {
            return;
        }
        String ward = occasion.subjectId().toString();
        for (String phone : ids(
                """
                SELECT g.phone FROM ward_guardian wg JOIN subject g ON g.id = wg.guardian_id
                WHERE wg.ward_id = ?::bigint AND g.phone IS NOT NULL ORDER BY g.id""",
                ward)) {
            messages.add(Message.pending(ChannelKind.SMS, phone, text));
        }
        for (String user : ids(
                """
                SELECT uw.user_id::text FROM user_ward uw JOIN app_user u ON u.id = uw.user_id
                WHERE uw.ward_id = ?::bigint AND u.role = 'FAMILY' ORDER BY uw.user_id""",
                ward)) {
            messages.add(Message.pending(ChannelKind.IN_APP, user, text));
        }
    }

    /**
     * IN_APP to the accounts and SMS to the phones of the unit's officers on duty (AVAILABLE or BUSY); tells whether
     * it found any.
     */
    private boolean unitOnDuty(String unit, String text, List<Message> messages) {
        int before = messages.size();
        for (String user : ids(
                """
                SELECT u.id::text FROM app_user u JOIN subject o ON o.id = u.subject_id
                WHERE u.role = 'OFFICER' AND o.unit = ? AND o.status IN ('AVAILABLE', 'BUSY') ORDER BY u.id""",
                unit)) {
            messages.add(Message.pending(ChannelKind.IN_APP, user, text));
        }
        for (String phone : ids(
                """
                SELECT phone FROM subject WHERE kind = 'OFFICER' AND unit = ? AND status IN ('AVAILABLE', 'BUSY')
                  AND phone IS NOT NULL ORDER BY id""",
                unit)) {
            messages.add(Message.pending(ChannelKind.SMS, phone, text));
        }
        return messages.size() > before;
    }

    /**
     * The warning SMS to a person loitering in a ban zone, once per episode (one LOITER alert is one episode) and at
     * most once per phone per quiet period: claiming the phone's quiet period is one atomic statement.
     */
    private void loiterer(Occasion occasion, List<Message> messages) {
        String phone = occasion.subjectPhone();
        if (phone == null && occasion.subjectId() != null) {
            List<String> reported = ids(
                    """
                    SELECT phone FROM sighting WHERE subject_id = ?::bigint AND phone IS NOT NULL
                    ORDER BY time DESC LIMIT 1""",
                    occasion.subjectId().toString());
            phone = reported.isEmpty() ? null : reported.get(0);
        }
        if (phone == null) {
            return;
        }
        String text = texts.render(TemplateKey.LOITER, occasion);
        boolean fresh = quiet.claim(phone, settings.smsQuietHours());
        messages.add(
                fresh
                        ? Message.pending(ChannelKind.SMS, phone, text)
                        : new Message(
                                ChannelKind.SMS, phone, text, "SUPPRESSED", "already warned within the quiet period"));
    }

    /** The step with its alert, subject and fence, and the payload every message of it carries. */
    private Occasion load(long eventId) {
        return jdbc.prepareStatement(
                """
                SELECT e.id AS event_id, a.id AS alert_id, e.action, a.type, a.subject_id, s.name AS subject_name,
                       s.phone AS subject_phone, s.category, s.offline_minutes, a.fence_id, f.name AS fence_name, f.zone,
                       f.dwell_minutes, a.opened_at, a.resolved_at, now() AS now, o.outcome,
                       jsonb_build_object(
                           'eventId', e.id, 'alertId', a.id, 'action', e.action, 'actor', e.actor, 'at', e.at,
                           'type', a.type, 'status', e.status, 'outcome', o.outcome, 'subjectId', a.subject_id,
                           'subjectName', s.name, 'fenceId', a.fence_id, 'fenceName', f.name, 'openedAt', a.opened_at,
                           'lon', ST_X(a.pos::geometry), 'lat', ST_Y(a.pos::geometry), 'detail', e.detail)::text
                           AS payload
                FROM alert_event e
                JOIN alert a ON a.id = e.alert_id
                LEFT JOIN subject s ON s.id = a.subject_id
                LEFT JOIN fence f ON f.id = a.fence_id
                -- the outcome belongs to the RESOLVED step only: the alert row may already be resolved when an
                -- earlier step of the same transaction (a ward out and back within one batch) is appended
                CROSS JOIN LATERAL (SELECT CASE WHEN e.action = 'RESOLVED'
                                                THEN coalesce(e.detail ->> 'outcome', a.outcome) END AS outcome) o
                WHERE e.id = ?""",
                ps -> {
                    ps.setLong(1, eventId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalStateException("no alert_event " + eventId);
                        }
                        return new Occasion(
                                rs.getLong("event_id"),
                                rs.getLong("alert_id"),
                                rs.getString("action"),
                                rs.getString("type"),
                                (Long) rs.getObject("subject_id"),
                                rs.getString("subject_name"),
                                rs.getString("subject_phone"),
                                (Integer) rs.getObject("offline_minutes"),
                                (Long) rs.getObject("fence_id"),
                                rs.getString("fence_name"),
                                rs.getString("zone"),
                                (Integer) rs.getObject("dwell_minutes"),
                                instant(rs, "opened_at"),
                                instant(rs, "resolved_at"),
                                instant(rs, "now"),
                                rs.getString("outcome"),
                                rs.getString("category") == null
                                        ? null
                                        : SubjectCategory.valueOf(rs.getString("category")),
                                rs.getString("payload"));
                    }
                });
    }

    /** The first column of every row of {@code sql}, with {@code param} (if not null) as its one parameter. */
    private List<String> ids(String sql, String param) {
        return jdbc.prepareStatement(sql, ps -> {
            if (param != null) {
                ps.setString(1, param);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
