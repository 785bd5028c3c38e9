package org.geoward.monitor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.geoward.evaluate.AlertType;
import org.geoward.notify.ChannelKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert and notification meters read from the database every {@code geoward.metrics.poll} (default 5 s), so that
 * they count what every node wrote and cost nothing on the alert path:
 *
 * <ul>
 *   <li>{@code geoward_alerts_raised_total{type}}: alerts opened since this node started;
 *   <li>{@code geoward_alerts_open{type}}: alerts not resolved, now;
 *   <li>{@code geoward_alert_acknowledge_seconds}, {@code _arrive_seconds}, {@code _resolve_seconds} {type}: from
 *       the alert's opening (the event time of the fix that raised it) to its first acknowledgement or assignment,
 *       to an officer's arrival, to resolution (histograms: {@code _bucket}, {@code _sum}, {@code _count});
 *   <li>{@code geoward_outbox_pending{channel}} and {@code geoward_outbox_oldest_seconds{channel}}: messages
 *       waiting for delivery and the age of the oldest;
 *   <li>{@code geoward_notification_attempts_total{channel, result}}: delivery attempts, SENT or FAILED.
 * </ul>
 *
 * In a cluster each node counts every node's alerts: sum over one node, or use {@code max} in the queries.
 * Thread-safe.
 */
@Context
final class AlertMeters {
    private static final Logger LOG = LoggerFactory.getLogger(AlertMeters.class);
    private static final int PAGE = 5_000;

    private final TransactionOperations<Connection> tx;
    private final JdbcOperations jdbc;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> openAlerts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> oldestPending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "metrics-alerts");
        t.setDaemon(true);
        return t;
    });
    private long eventCursor = -1;
    private long attemptCursor = -1;

    AlertMeters(
            TransactionOperations<Connection> tx,
            JdbcOperations jdbc,
            MeterRegistry registry,
            @Value("${geoward.metrics.poll:5s}") Duration poll) {
        this.tx = tx;
        this.jdbc = jdbc;
        this.registry = registry;
        for (AlertType type : AlertType.values()) {
            AtomicLong open = new AtomicLong();
            openAlerts.put(type.name(), open);
            Gauge.builder("geoward.alerts.open", open, AtomicLong::get)
                    .description("alerts not resolved")
                    .tag("type", type.name())
                    .register(registry);
            counter("geoward.alerts.raised", "alerts opened", "type", type.name());
        }
        for (ChannelKind channel : ChannelKind.values()) {
            AtomicLong waiting = new AtomicLong();
            AtomicLong oldest = new AtomicLong();
            pending.put(channel.name(), waiting);
            oldestPending.put(channel.name(), oldest);
            Gauge.builder("geoward.outbox.pending", waiting, AtomicLong::get)
                    .description("notifications waiting for delivery")
                    .tag("channel", channel.name())
                    .register(registry);
            Gauge.builder("geoward.outbox.oldest.seconds", oldest, AtomicLong::get)
                    .description("age of the oldest notification waiting for delivery")
                    .tag("channel", channel.name())
                    .register(registry);
        }
        long millis = Math.max(100, poll.toMillis());
        poller.scheduleWithFixedDelay(this::pollQuietly, 0, millis, TimeUnit.MILLISECONDS);
    }

    private void pollQuietly() {
        try {
            tx.executeRead(status -> {
                poll();
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("alert metrics not read this time: {}", e.toString());
        }
    }

    private void poll() {
        if (eventCursor < 0) {
            eventCursor = single("SELECT coalesce(max(id), 0) FROM alert_event");
            attemptCursor = single("SELECT coalesce(max(id), 0) FROM notification_attempt");
        }
        readEvents();
        readAttempts();
        Map<String, Long> open = grouped("SELECT type, count(*) FROM alert WHERE status <> 'RESOLVED' GROUP BY type");
        openAlerts.forEach((type, gauge) -> gauge.set(open.getOrDefault(type, 0L)));
        Map<String, Long> waiting =
                grouped("SELECT channel, count(*) FROM notification WHERE status = 'PENDING' GROUP BY channel");
        Map<String, Long> oldest = grouped("SELECT channel, extract(epoch FROM now() - min(created_at))::bigint"
                + " FROM notification WHERE status = 'PENDING' GROUP BY channel");
        pending.forEach((channel, gauge) -> gauge.set(waiting.getOrDefault(channel, 0L)));
        oldestPending.forEach((channel, gauge) -> gauge.set(oldest.getOrDefault(channel, 0L)));
    }

    /** Counts the alert steps written since the last poll. */
    private void readEvents() {
        List<Object[]> rows = jdbc.prepareStatement(
                """
                SELECT e.id, e.action, a.type, extract(epoch FROM e.at - a.opened_at),
                       NOT EXISTS (SELECT 1 FROM alert_event p WHERE p.alert_id = e.alert_id AND p.id < e.id
                                   AND p.action IN ('ACKNOWLEDGED', 'DISPATCHED'))
                  FROM alert_event e JOIN alert a ON a.id = e.alert_id
                 WHERE e.id > ? ORDER BY e.id LIMIT ?""",
                ps -> {
                    ps.setLong(1, eventCursor);
                    ps.setInt(2, PAGE);
                    List<Object[]> list = new java.util.ArrayList<>();
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            list.add(new Object[] {
                                rs.getLong(1), rs.getString(2), rs.getString(3), rs.getDouble(4), rs.getBoolean(5)
                            });
                        }
                    }
                    return list;
                });
        for (Object[] row : rows) {
            eventCursor = (Long) row[0];
            String action = (String) row[1];
            String type = (String) row[2];
            double seconds = Math.max(0, (Double) row[3]);
            boolean firstResponse = (Boolean) row[4];
            switch (action) {
                case "OPENED" -> counter("geoward.alerts.raised", "alerts opened", "type", type)
                        .increment();
                case "ACKNOWLEDGED", "DISPATCHED" -> {
                    if (firstResponse) {
                        timer("geoward.alert.acknowledge", type).record(Duration.ofMillis((long) (seconds * 1000)));
                    }
                }
                case "ARRIVED" -> timer("geoward.alert.arrive", type)
                        .record(Duration.ofMillis((long) (seconds * 1000)));
                case "RESOLVED" -> timer("geoward.alert.resolve", type)
                        .record(Duration.ofMillis((long) (seconds * 1000)));
                default -> {}
            }
        }
    }

    /** Counts the delivery attempts made since the last poll. */
    private void readAttempts() {
        List<Object[]> rows = jdbc.prepareStatement(
                """
                SELECT t.id, n.channel, t.result FROM notification_attempt t JOIN notification n ON n.id = t.notification_id
                 WHERE t.id > ? ORDER BY t.id LIMIT ?""",
                ps -> {
                    ps.setLong(1, attemptCursor);
                    ps.setInt(2, PAGE);
                    List<Object[]> list = new java.util.ArrayList<>();
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            list.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)});
                        }
                    }
                    return list;
                });
        for (Object[] row : rows) {
            attemptCursor = (Long) row[0];
            counters.computeIfAbsent(
                            "attempt/" + row[1] + "/" + row[2], k -> Counter.builder("geoward.notification.attempts")
                                    .description("notification delivery attempts by channel and result")
                                    .tag("channel", (String) row[1])
                                    .tag("result", (String) row[2])
                                    .register(registry))
                    .increment();
        }
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + "/" + value, k -> Counter.builder(name)
                .description(description)
                .tag(tag, value)
                .register(registry));
    }

    private Timer timer(String step, String type) {
        return timers.computeIfAbsent(step + "/" + type, k -> Timer.builder(step)
                .description("from an alert's opening to its " + step.substring(step.lastIndexOf('.') + 1))
                .tag("type", type)
                .serviceLevelObjectives(
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(30),
                        Duration.ofHours(1),
                        Duration.ofHours(4))
                .register(registry));
    }

    private long single(String sql) {
        return jdbc.prepareStatement(sql, ps -> {
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private Map<String, Long> grouped(String sql) {
        return jdbc.prepareStatement(sql, ps -> {
            Map<String, Long> map = new java.util.HashMap<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    map.put(rs.getString(1).toUpperCase(Locale.ROOT), rs.getLong(2));
                }
            }
            return map;
        });
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
    }
}
