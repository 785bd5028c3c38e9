package org.geoward.notify;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

/**
 * The demo and test gateway: "sends" by storing the message in {@code sms_message}, in the worker's transaction, so
 * the console can show "SMS sent" with its text. A repeated message id is stored once.
 */
@Singleton
@Requires(property = "geoward.sms.gateway", value = "recording", defaultValue = "recording")
final class RecordingSmsGateway implements SmsGateway {
    private final JdbcOperations jdbc;

    RecordingSmsGateway(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void send(String messageId, String phone, String text) {
        jdbc.prepareStatement(
                "INSERT INTO sms_message (message_id, phone, text) VALUES (?, ?, ?) ON CONFLICT (message_id) DO NOTHING",
                ps -> {
                    ps.setString(1, messageId);
                    ps.setString(2, phone);
                    ps.setString(3, text);
                    return ps.executeUpdate();
                });
    }
}
