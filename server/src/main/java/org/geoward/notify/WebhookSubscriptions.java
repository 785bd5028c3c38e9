package org.geoward.notify;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.geoward.notify.WebhookController.Subscription;

/** The {@code webhook_subscription} table: made, listed and switched off here only. Each method is one transaction. */
@Singleton
class WebhookSubscriptions {
    private final JdbcOperations jdbc;

    WebhookSubscriptions(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** A new active subscription; the answer carries its secret, the only time it is shown. */
    @Transactional
    Subscription create(String url, String secret) {
        return jdbc.prepareStatement(
                "INSERT INTO webhook_subscription (url, secret) VALUES (?, ?) RETURNING id, created_at", ps -> {
                    ps.setString(1, url);
                    ps.setString(2, secret);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new Subscription(
                                rs.getLong(1),
                                url,
                                secret,
                                true,
                                rs.getTimestamp(2).toInstant());
                    }
                });
    }

    /** The active subscriptions, oldest first, without their secrets. */
    @Transactional
    List<Subscription> active() {
        return jdbc.prepareStatement(
                "SELECT id, url, active, created_at FROM webhook_subscription WHERE active ORDER BY id", ps -> {
                    List<Subscription> found = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.add(new Subscription(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    null,
                                    rs.getBoolean(3),
                                    rs.getTimestamp(4).toInstant()));
                        }
                    }
                    return found;
                });
    }

    /**
     * Switches subscription {@code id} off and marks its undelivered messages FAILED; false when there is no such
     * active subscription.
     */
    @Transactional
    boolean deactivate(long id) {
        int changed =
                jdbc.prepareStatement("UPDATE webhook_subscription SET active = false WHERE id = ? AND active", ps -> {
                    ps.setLong(1, id);
                    return ps.executeUpdate();
                });
        if (changed == 0) {
            return false;
        }
        jdbc.prepareStatement(
                """
                UPDATE notification SET status = 'FAILED', last_error = 'subscription deleted'
                WHERE channel = 'WEBHOOK' AND recipient = ? AND status = 'PENDING'""",
                ps -> {
                    ps.setString(1, Long.toString(id));
                    return ps.executeUpdate();
                });
        return true;
    }
}
