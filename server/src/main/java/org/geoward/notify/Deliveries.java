package org.geoward.notify;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.geoward.account.Visibility;
import org.geoward.subject.PhoneNumbers;

/**
 * Reads the outbox for people. ADMIN and DISPATCHER see every delivery with phone numbers; OFFICER sees the deliveries
 * of the alerts of their task ({@link Visibility#officerAlerts}: assigned to them or of their unit's types) with phones
 * masked; FAMILY sees only the SMS and their own in-app messages of their wards' alerts, phones masked
 * except their own.
 */
@Singleton
class Deliveries {
    private static final String SELECT =
            """
            SELECT n.id, n.dedupe_key, n.alert_id, n.channel, n.recipient, n.text, n.status, n.attempts, n.last_error,
                   n.created_at, n.sent_at, n.read_at, u.username, n.payload ->> 'type' AS alert_type,
                   n.payload ->> 'action' AS action,
                   CASE WHEN n.payload ->> 'action' = 'RESOLVED' THEN n.payload ->> 'outcome' END AS outcome
            FROM notification n
            JOIN alert a ON a.id = n.alert_id
            LEFT JOIN app_user u ON n.channel = 'IN_APP' AND u.id::text = n.recipient
            """;

    private final JdbcOperations jdbc;
    private final Visibility visibility;

    Deliveries(JdbcOperations jdbc, Visibility visibility) {
        this.jdbc = jdbc;
        this.visibility = visibility;
    }

    @Transactional
    List<Delivery> visibleTo(Authentication caller, Long alertId, ChannelKind channel) {
        Optional<Set<Long>> subjects = visibility.visibleWards(caller);
        Optional<Visibility.Condition> officers = visibility.officerAlerts(caller);
        boolean showsPhones =
                caller.getRoles().contains("ADMIN") || caller.getRoles().contains("DISPATCHER");
        Long userId = Visibility.userId(caller);
        String ownPhone = subjects.isPresent() ? ownPhone(userId) : null;
        StringBuilder sql = new StringBuilder(SELECT)
                .append(" WHERE (?::bigint IS NULL OR n.alert_id = ?)")
                .append(" AND (?::text IS NULL OR n.channel = ?)");
        if (subjects.isPresent()) {
            sql.append(
                    " AND a.subject_id = ANY(?) AND (n.channel = 'SMS' OR (n.channel = 'IN_APP' AND n.recipient = ?))");
        }
        officers.ifPresent(c -> sql.append(" AND ").append(c.sql()));
        sql.append(" ORDER BY n.id DESC LIMIT 500");
        return jdbc.prepareStatement(sql.toString(), ps -> {
            ps.setObject(1, alertId, java.sql.Types.BIGINT);
            ps.setObject(2, alertId, java.sql.Types.BIGINT);
            ps.setString(3, channel == null ? null : channel.name());
            ps.setString(4, channel == null ? null : channel.name());
            if (subjects.isPresent()) {
                ps.setArray(
                        5,
                        ps.getConnection()
                                .createArrayOf("bigint", subjects.get().toArray()));
                ps.setString(6, String.valueOf(userId));
            }
            if (officers.isPresent()) {
                officers.get().bind(ps, subjects.isPresent() ? 7 : 5);
            }
            List<Delivery> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(read(rs, showsPhones, ownPhone));
                }
            }
            return found;
        });
    }

    @Transactional
    List<Delivery> unread(long userId) {
        return jdbc.prepareStatement(
                SELECT + " WHERE n.channel = 'IN_APP' AND n.recipient = ? AND n.read_at IS NULL"
                        + " AND n.status IN ('PENDING', 'SENT') ORDER BY n.id DESC LIMIT 500",
                ps -> {
                    ps.setString(1, Long.toString(userId));
                    List<Delivery> found = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.add(read(rs, false, null));
                        }
                    }
                    return found;
                });
    }

    @Transactional
    boolean markRead(long userId, long id) {
        return jdbc.prepareStatement(
                """
                UPDATE notification SET read_at = coalesce(read_at, now())
                WHERE id = ? AND channel = 'IN_APP' AND recipient = ?""",
                ps -> {
                    ps.setLong(1, id);
                    ps.setString(2, Long.toString(userId));
                    return ps.executeUpdate() == 1;
                });
    }

    private String ownPhone(Long userId) {
        if (userId == null) {
            return null;
        }
        return jdbc.prepareStatement(
                "SELECT s.phone FROM app_user u JOIN subject s ON s.id = u.subject_id WHERE u.id = ?", ps -> {
                    ps.setLong(1, userId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                });
    }

    private static Delivery read(ResultSet rs, boolean showsPhones, String ownPhone) throws SQLException {
        ChannelKind channel = ChannelKind.valueOf(rs.getString("channel"));
        String recipient = rs.getString("recipient");
        String to =
                switch (channel) {
                    case IN_APP -> rs.getString("username") == null ? "user " + recipient : rs.getString("username");
                    case SMS -> showsPhones || recipient.equals(ownPhone) ? recipient : PhoneNumbers.mask(recipient);
                    case WEBHOOK -> "webhook " + recipient;
                };
        return new Delivery(
                rs.getLong("id"),
                rs.getString("dedupe_key"),
                rs.getLong("alert_id"),
                channel,
                to,
                rs.getString("text"),
                DeliveryStatus.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getString("last_error"),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("sent_at")),
                instant(rs.getTimestamp("read_at")),
                rs.getString("alert_type"),
                rs.getString("action"),
                rs.getString("outcome"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
