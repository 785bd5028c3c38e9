package org.geoward.alert;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.sse.Event;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live alert stream: every {@code alert_event} row after a cursor, in id order, as an SSE event (id = the row's
 * id, name = its action in lower case, data = the alert Feature with its {@code step}). Each subscriber pages through
 * the table from its own cursor as far as its demand allows, so a reconnect with {@code Last-Event-ID} replays
 * exactly what it missed. Subscribers are woken by {@link AlertChanged} and, as a safety net (events written by
 * other nodes), every {@code geoward.alerts.stream-poll} (default 3 s). Ids never appear out of commit order (see
 * {@link AlertEvents}), so a cursor never skips a row. Thread-safe.
 */
@Singleton
class AlertStream {
    private static final Logger LOG = LoggerFactory.getLogger(AlertStream.class);
    private static final int PAGE = 200;
    private static final long HEARTBEAT_MILLIS = 20_000;

    private final AlertQueries queries;
    private final Set<StreamSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService executor;

    AlertStream(
            AlertQueries queries,
            @Value("${geoward.alerts.stream-poll:3s}") Duration poll,
            io.micrometer.core.instrument.MeterRegistry registry) {
        this.queries = queries;
        io.micrometer.core.instrument.Gauge.builder("geoward.sse.clients", subscriptions, Set::size)
                .description("clients following the live alert stream (SSE) on this node")
                .register(registry);
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "alert-stream-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(100, poll.toMillis());
        executor.scheduleWithFixedDelay(this::wakeAll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** A stream of the events after {@code cursor} (an {@code alert_event} id) that {@code viewer} may see. */
    Publisher<Event<Object>> from(long cursor, Viewer viewer) {
        return subscriber -> {
            StreamSubscription s = new StreamSubscription(subscriber, cursor, viewer);
            subscriptions.add(s);
            subscriber.onSubscribe(s);
        };
    }

    /** The newest event id: where a stream without Last-Event-ID starts. */
    long lastEventId() {
        return queries.lastEventId();
    }

    @EventListener
    void onAlertChanged(AlertChanged changed) {
        wakeAll();
    }

    private void wakeAll() {
        subscriptions.forEach(StreamSubscription::drain);
    }

    @PreDestroy
    void close() {
        subscriptions.forEach(StreamSubscription::complete);
        executor.shutdownNow();
    }

    /** One client: its cursor, its demand, and a drain loop that never runs twice at once. */
    private final class StreamSubscription implements Subscription {
        private final Subscriber<? super Event<Object>> subscriber;
        private boolean greeted;
        private long lastSentMillis = System.currentTimeMillis();
        private final Viewer viewer;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile boolean cancelled;
        private long cursor;

        StreamSubscription(Subscriber<? super Event<Object>> subscriber, long cursor, Viewer viewer) {
            this.subscriber = subscriber;
            this.cursor = cursor;
            this.viewer = viewer;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("request must be positive (rule 3.9)"));
                return;
            }
            demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            subscriptions.remove(this);
        }

        void complete() {
            if (!cancelled) {
                cancel();
                subscriber.onComplete();
            }
        }

        void drain() {
            if (wip.getAndIncrement() == 0 && !cancelled) {
                try {
                    executor.execute(this::loop);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    wip.set(0);
                }
            }
        }

        private void loop() {
            int missed = 1;
            while (true) {
                try {
                    emit();
                } catch (RuntimeException e) {
                    LOG.warn("alert stream: reading events after {} failed; retrying at the next wake", cursor, e);
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void emit() {
            if (!greeted && !cancelled && demand.get() > 0) {
                // sent at once, so that the client sees the stream open even when no alert changes for a while
                greeted = true;
                send(Event.of((Object) java.util.Map.of("after", Long.toString(cursor)))
                        .name("ready"));
            }
            if (!cancelled && demand.get() > 0 && System.currentTimeMillis() - lastSentMillis > HEARTBEAT_MILLIS) {
                // keeps proxies from closing an idle stream; no id, so Last-Event-ID is unchanged
                send(Event.of((Object) java.util.Map.of()).name("heartbeat"));
            }
            while (!cancelled && demand.get() > 0) {
                int page = (int) Math.min(PAGE, demand.get());
                List<AlertQueries.StreamEvent> rows = queries.eventsAfter(cursor, page, viewer);
                for (AlertQueries.StreamEvent row : rows) {
                    if (cancelled) {
                        return;
                    }
                    cursor = row.id();
                    String action = row.feature().step().action().toLowerCase(Locale.ROOT);
                    send(Event.of((Object) row.feature())
                            .id(Long.toString(row.id()))
                            .name(action));
                }
                if (rows.size() < page) {
                    return;
                }
            }
        }

        private void send(Event<Object> event) {
            demand.decrementAndGet();
            lastSentMillis = System.currentTimeMillis();
            subscriber.onNext(event);
        }
    }
}
