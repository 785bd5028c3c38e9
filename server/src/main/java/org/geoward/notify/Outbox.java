package org.geoward.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Writes messages into the outbox ({@code notification}), inside the caller's transaction, for the delivery worker to
 * send. The dedupe key {@code geoward-<event>-<channel>-<recipient>} is the stable message id receivers drop repeats
 * by; a message already queued under the same key is left as it is.
 */
@Singleton
final class Outbox {
    private final JdbcOperations jdbc;

    Outbox(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One message to queue.
     *
     * @param recipient IN_APP: the app_user id; SMS: the phone; WEBHOOK: the subscription id
     * @param status PENDING, or SUPPRESSED for a message kept only as a record
     * @param note why a message is SUPPRESSED (stored as its last error), or null
     */
    record Message(ChannelKind channel, String recipient, String text, String status, @Nullable String note) {
        static Message pending(ChannelKind channel, String recipient, String text) {
            return new Message(channel, recipient, text, "PENDING", null);
        }
    }

    /** Queues {@code messages} for the step {@code occasion}, in order, in one statement. */
    void enqueue(Occasion occasion, List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        int n = messages.size();
        String[] channels = new String[n];
        String[] recipients = new String[n];
        String[] texts = new String[n];
        String[] statuses = new String[n];
        String[] notes = new String[n];
        for (int i = 0; i < n; i++) {
            Message m = messages.get(i);
            channels[i] = m.channel().name();
            recipients[i] = m.recipient();
            texts[i] = m.text();
            statuses[i] = m.status();
            notes[i] = m.note();
        }
        jdbc.prepareStatement(
                """
                INSERT INTO notification (alert_id, alert_event_id, channel, recipient, text, payload, status, last_error,
                                          dedupe_key)
                SELECT ?, ?, m.channel, m.recipient, m.text, ?::jsonb, m.status, m.note,
                       'geoward-' || ?::bigint || '-' || m.channel || '-' || m.recipient
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY
                     AS m(channel, recipient, text, status, note, n)
                ORDER BY m.n
                ON CONFLICT (dedupe_key) DO NOTHING""",
                ps -> {
                    var c = ps.getConnection();
                    ps.setLong(1, occasion.alertId());
                    ps.setLong(2, occasion.eventId());
                    ps.setString(3, occasion.payloadJson());
                    ps.setLong(4, occasion.eventId());
                    ps.setArray(5, c.createArrayOf("text", channels));
                    ps.setArray(6, c.createArrayOf("text", recipients));
                    ps.setArray(7, c.createArrayOf("text", texts));
                    ps.setArray(8, c.createArrayOf("text", statuses));
                    ps.setArray(9, c.createArrayOf("text", notes));
                    return ps.executeUpdate();
                });
    }
}
