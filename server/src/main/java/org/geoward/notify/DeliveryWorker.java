package org.geoward.notify;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox. {@link NotifySettings#workers} threads each poll every {@link NotifySettings#pollInterval}: a
 * thread claims due PENDING rows one at a time ({@code FOR UPDATE SKIP LOCKED}, so the threads, and several nodes,
 * share the table without sending a row twice, and a receiver that is slow to answer holds up one thread only),
 * sends each through its {@link Channel} while holding the row lock, and in the same transaction records the attempt
 * in {@code notification_attempt} and either marks the row SENT or schedules the next attempt after an exponential
 * backoff ({@link NotifySettings#backoffAfter}); after {@link NotifySettings#maxAttempts} failures the row is
 * FAILED. All state is in the database, so a restart resumes where it stopped; a send whose commit is lost is
 * repeated with the same message id, which receivers drop.
 */
@Singleton
final class DeliveryWorker {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final NotifySettings settings;
    private final Map<ChannelKind, Channel> channels = new EnumMap<>(ChannelKind.class);
    private final int workers;
    private final ScheduledExecutorService threads;
    private volatile boolean stopped;

    DeliveryWorker(
            JdbcOperations jdbc,
            TransactionOperations<Connection> transactions,
            NotifySettings settings,
            List<Channel> channels) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
        channels.forEach(c -> this.channels.put(c.kind(), c));
        this.workers = Math.max(1, settings.workers());
        AtomicInteger numbers = new AtomicInteger();
        this.threads = Executors.newScheduledThreadPool(workers, task -> {
            Thread thread = new Thread(task, "deliver-" + numbers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @EventListener
    void start(StartupEvent event) {
        long every = Math.max(10, settings.pollInterval().toMillis());
        for (int i = 0; i < workers; i++) {
            threads.scheduleWithFixedDelay(this::poll, 1_000 + i * every / workers, every, MILLISECONDS);
        }
    }

    /** Sends what is due, up to {@link NotifySettings#batchSize} messages. */
    void poll() {
        for (int i = 0; i < settings.batchSize() && !stopped; i++) {
            try {
                if (!transactions.executeWrite(status -> deliverNext(status.getConnection()))) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("Delivery poll failed", e);
                return;
            }
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        stopped = true;
        threads.shutdown();
        if (!threads.awaitTermination(settings.webhookTimeout().toMillis() + 1_000, MILLISECONDS)) {
            threads.shutdownNow();
        }
    }

    /** Claims, sends and records one due message; false when none is due. */
    private boolean deliverNext(Connection connection) {
        try {
            return claimAndSend(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record a delivery", e);
        }
    }

    private boolean claimAndSend(Connection connection) throws SQLException {
        Message message = claim();
        if (message == null) {
            return false;
        }
        Channel channel = channels.get(message.channel());
        Savepoint beforeSend = connection.setSavepoint();
        String error;
        try {
            channel.send(message);
            error = null;
        } catch (DeliveryException e) {
            error = e.getMessage();
        } catch (RuntimeException e) {
            error = e.toString();
        }
        if (error == null) {
            connection.releaseSavepoint(beforeSend);
            markSent(message);
        } else {
            connection.rollback(beforeSend);
            markFailed(message, error);
        }
        return true;
    }

    private Message claim() {
        return jdbc.prepareStatement(
                """
                SELECT id, dedupe_key, alert_id, channel, recipient, text, payload::text, attempts
                FROM notification
                WHERE status = 'PENDING' AND next_attempt_at <= now()
                ORDER BY next_attempt_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED""",
                ps -> {
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return null;
                        }
                        return new Message(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getLong(3),
                                ChannelKind.valueOf(rs.getString(4)),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7),
                                rs.getInt(8));
                    }
                });
    }

    private void markSent(Message message) {
        record(message.id(), "SENT", null);
        jdbc.prepareStatement(
                """
                UPDATE notification SET status = 'SENT', attempts = attempts + 1, sent_at = now(), last_error = NULL
                WHERE id = ?""",
                ps -> {
                    ps.setLong(1, message.id());
                    return ps.executeUpdate();
                });
    }

    private void markFailed(Message message, String error) {
        record(message.id(), "FAILED", error);
        int attempts = message.attempts() + 1;
        boolean givingUp = attempts >= settings.maxAttempts();
        long waitMillis = settings.backoffAfter(attempts).toMillis();
        jdbc.prepareStatement(
                """
                UPDATE notification SET status = ?, attempts = ?, next_attempt_at = now() + ? * interval '1 ms',
                                        last_error = ?
                WHERE id = ?""",
                ps -> {
                    ps.setString(1, givingUp ? "FAILED" : "PENDING");
                    ps.setInt(2, attempts);
                    ps.setLong(3, waitMillis);
                    ps.setString(4, error);
                    ps.setLong(5, message.id());
                    return ps.executeUpdate();
                });
        if (givingUp) {
            LOG.warn("Gave up on notification {} after {} attempts: {}", message.messageId(), attempts, error);
        }
    }

    private void record(long notificationId, String result, String error) {
        jdbc.prepareStatement(
                "INSERT INTO notification_attempt (notification_id, result, error) VALUES (?, ?, ?)", ps -> {
                    ps.setLong(1, notificationId);
                    ps.setString(2, result);
                    ps.setString(3, error);
                    return ps.executeUpdate();
                });
    }
}
