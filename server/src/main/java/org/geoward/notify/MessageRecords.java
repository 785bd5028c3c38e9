package org.geoward.notify;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.geoward.subject.KeptAboutSubject;

/**
 * What privacy and retention change on stored messages ({@code notification}, {@code sms_message}, {@code sms_quiet}),
 * inside the caller's transaction: a person's erasure takes the text, payload and phone of the messages about their
 * alerts and to their phones, and ends their phones' quiet periods; retention's expiry takes the phone of SMS sent to
 * visitors for alerts resolved before the cut-off, and the quiet periods started before it. Thread-safe.
 */
@Singleton
public class MessageRecords implements KeptAboutSubject {
    private final JdbcOperations jdbc;

    MessageRecords(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void anonymise(long subjectId, List<String> phones) {
        jdbc.prepareStatement(
                """
                UPDATE sms_message m SET phone = '(erased)', text = '(erased)'
                FROM notification n JOIN alert a ON a.id = n.alert_id
                WHERE a.subject_id = ? AND m.message_id = n.dedupe_key""",
                ps -> {
                    ps.setLong(1, subjectId);
                    return ps.executeUpdate();
                });
        jdbc.prepareStatement(
                """
                UPDATE notification SET text = '(erased)', payload = '{}', last_error = NULL
                WHERE alert_id IN (SELECT a.id FROM alert a WHERE a.subject_id = ?)""",
                ps -> {
                    ps.setLong(1, subjectId);
                    return ps.executeUpdate();
                });
        if (phones.isEmpty()) {
            return;
        }
        jdbc.prepareStatement(
                """
                WITH p AS (SELECT unnest(?::text[]) AS phone),
                n AS (UPDATE notification SET recipient = '(erased)', text = '(erased)', payload = '{}'
                      WHERE channel = 'SMS' AND recipient IN (SELECT phone FROM p) RETURNING id),
                m AS (UPDATE sms_message SET phone = '(erased)', text = '(erased)'
                      WHERE phone IN (SELECT phone FROM p) RETURNING id)
                DELETE FROM sms_quiet WHERE phone IN (SELECT phone FROM p)""",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", phones.toArray()));
                    return ps.executeUpdate();
                });
    }

    /**
     * Takes the phone of every SMS sent to a visitor for an alert resolved before {@code cut}, and ends the quiet
     * periods started before it; returns how many messages lost their phone.
     */
    public long expireVisitorPhones(Instant cut) {
        Timestamp at = Timestamp.from(cut);
        long messages = jdbc.prepareStatement(
                """
                WITH old AS (
                    SELECT n.id, n.dedupe_key FROM notification n JOIN alert a ON a.id = n.alert_id
                    JOIN subject s ON s.id = a.subject_id
                    WHERE s.kind = 'VISITOR' AND n.channel = 'SMS' AND n.recipient <> '(expired)' AND a.resolved_at < ?),
                m AS (UPDATE sms_message m SET phone = '(expired)' FROM old WHERE m.message_id = old.dedupe_key)
                UPDATE notification n SET recipient = '(expired)' FROM old WHERE n.id = old.id""",
                ps -> {
                    ps.setTimestamp(1, at);
                    return (long) ps.executeUpdate();
                });
        jdbc.prepareStatement("DELETE FROM sms_quiet WHERE warned_at < ?", ps -> {
            ps.setTimestamp(1, at);
            return ps.executeUpdate();
        });
        return messages;
    }
}
