package org.geoward.device;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.geoward.clock.SteadyClock;
import org.geoward.device.gt06.Gt06Server;
import org.geoward.device.osmand.OsmAndDecoder;
import org.geoward.problem.DatabaseFailures;
import org.geoward.problem.ProblemException;
import org.geoward.sighting.RecordResult;
import org.geoward.sighting.Sighting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the device listeners on their own ports: OsmAnd over HTTP ({@code GEOWARD_OSMAND_PORT}, default 5055) and
 * GT06 over TCP ({@code GEOWARD_GT06_PORT}, default 5023). A port of -1 turns a listener off, 0 picks a free one
 * (tests). Both hand their positions to {@link DeviceIngest}, on the blocking I/O executor.
 */
@Context
public class DeviceListeners {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceListeners.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final DeviceIngest ingest;
    private final ExecutorService executor;
    private final String host;
    private final int osmandPort;
    private final int gt06Port;
    private final OsmAndDecoder osmand;
    private final int maxInFlight;
    private final Duration gt06IdleTimeout;
    private final Duration gt06FrameTimeout;
    /** The most GT06 positions waiting to be stored, over all connections; more are not acknowledged. */
    private final int gt06MaxQueued;

    private DeviceHttpServer osmandServer;
    private Gt06Server gt06Server;
    private volatile InetSocketAddress osmandAddress;
    private volatile InetSocketAddress gt06Address;

    DeviceListeners(
            DeviceIngest ingest,
            @Named(TaskExecutors.BLOCKING) ExecutorService executor,
            @Value("${geoward.devices.host:0.0.0.0}") String host,
            @Value("${geoward.osmand.port:5055}") int osmandPort,
            @Value("${geoward.gt06.port:5023}") int gt06Port,
            @Value("${geoward.ingest.max-requests-in-flight:64}") int maxInFlight,
            @Value("${geoward.gt06.idle-timeout:5m}") Duration gt06IdleTimeout,
            @Value("${geoward.gt06.frame-timeout:10s}") Duration gt06FrameTimeout,
            @Value("${geoward.gt06.max-queued:10000}") int gt06MaxQueued,
            SteadyClock clock) {
        this.osmand = new OsmAndDecoder(clock);
        this.maxInFlight = maxInFlight;
        this.gt06IdleTimeout = gt06IdleTimeout;
        this.gt06FrameTimeout = gt06FrameTimeout;
        this.gt06MaxQueued = gt06MaxQueued;
        this.ingest = ingest;
        this.executor = executor;
        this.host = host;
        this.osmandPort = osmandPort;
        this.gt06Port = gt06Port;
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        if (osmandPort >= 0) {
            osmandServer = new DeviceHttpServer("osmand", host, osmandPort, executor, maxInFlight, this::handleOsmAnd);
            osmandAddress = osmandServer.start();
        }
        if (gt06Port >= 0) {
            gt06Server = new Gt06Server(host, gt06Port, gt06IdleTimeout, gt06FrameTimeout, 2, new Gt06Sink());
            gt06Address = gt06Server.start();
        }
    }

    @PreDestroy
    void stop() {
        if (osmandServer != null) {
            osmandServer.stop();
        }
        if (gt06Server != null) {
            gt06Server.stop();
        }
    }

    /** Where the OsmAnd listener is bound, if it runs. */
    public Optional<InetSocketAddress> osmandAddress() {
        return Optional.ofNullable(osmandAddress);
    }

    /** How many GT06 devices are connected now (0 when the listener is off). */
    public int gt06Connections() {
        Gt06Server server = gt06Server;
        return server == null ? 0 : server.connections();
    }

    /** Where the GT06 listener is bound, if it runs. */
    public Optional<InetSocketAddress> gt06Address() {
        return Optional.ofNullable(gt06Address);
    }

    HttpReply handleOsmAnd(String method, String uri, String body, String contentType) {
        try {
            String query = URI.create(uri).getRawQuery();
            Map<String, List<String>> params = OsmAndDecoder.parseQuery(query == null ? "" : query);
            boolean json = contentType != null && contentType.contains("json");
            if (!json
                    && "POST".equals(method)
                    && !body.isBlank()
                    && !body.trim().startsWith("{")) {
                params = merge(params, OsmAndDecoder.parseQuery(body));
            }
            List<Sighting> positions = json || body.trim().startsWith("{")
                    ? osmand.decodeJson(body)
                    : osmand.decodeQuery(params).map(List::of).orElse(List.of());
            if (positions.isEmpty()) {
                return OsmAndDecoder.reply();
            }
            String token =
                    params.getOrDefault("token", List.of()).stream().findFirst().orElse(null);
            String uniqueId = positions.get(0).deviceId();
            switch (ingest.check(uniqueId, "OSMAND", token, "http")) {
                case UNKNOWN_DEVICE -> {
                    return new HttpReply(
                            404, TEXT, "device " + uniqueId + " is not registered; ask an admin to add it");
                }
                case BAD_TOKEN -> {
                    return new HttpReply(401, TEXT, "wrong or missing token for device " + uniqueId);
                }
                default -> {}
            }
            RecordResult result = ingest.record(positions);
            if (!result.rejected().isEmpty() && result.accepted() + result.duplicates() == 0) {
                return new HttpReply(400, TEXT, result.rejected().get(0).error());
            }
            return OsmAndDecoder.reply();
        } catch (DecodeException e) {
            return new HttpReply(400, TEXT, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new HttpReply(400, TEXT, "not an OsmAnd request: " + e.getMessage());
        } catch (ProblemException e) {
            // the ingest queue is full (503 + Retry-After) or the batch too large: the same answer as the JSON API's
            return new HttpReply(e.status().getCode(), TEXT, e.getMessage(), e.retryAfterSeconds());
        } catch (RuntimeException e) {
            if (DatabaseFailures.isTransient(e)) {
                return HttpReply.busy("the database is not reachable right now; nothing was stored: send again", 2);
            }
            throw e;
        }
    }

    private static Map<String, List<String>> merge(Map<String, List<String>> a, Map<String, List<String>> b) {
        var merged = new java.util.LinkedHashMap<String, List<String>>(a);
        b.forEach((k, v) -> merged.merge(k, v, (x, y) -> {
            var all = new java.util.ArrayList<>(x);
            all.addAll(y);
            return all;
        }));
        return merged;
    }

    /**
     * GT06 positions arrive on Netty's threads. Logins are checked, and positions recorded, on the blocking executor.
     * Each device's positions queue up and are recorded in arrival order by one task at a time, in batches of what
     * has queued meanwhile: handing each position to the pool on its own let two fixes of one device race, and
     * the later-stored older one was then never evaluated. A position's stage completes once it is committed (the
     * session acknowledges it only then); when ingest is busy, the database is away, or {@link #gt06MaxQueued}
     * positions already wait, it completes busy and the device is not acknowledged, so it sends the fix again.
     */
    private final class Gt06Sink implements PositionSink {
        private final Map<String, DeviceQueue> queues = new ConcurrentHashMap<>();
        private final AtomicInteger queued = new AtomicInteger();

        @Override
        public boolean isKnown(String uniqueId) {
            return ingest.isKnown(uniqueId, "GT06", "tcp");
        }

        @Override
        public CompletionStage<Boolean> isKnownAsync(String uniqueId) {
            return CompletableFuture.supplyAsync(() -> isKnown(uniqueId), executor);
        }

        @Override
        public SinkResult accept(Sighting position) {
            return acceptAsync(position).toCompletableFuture().join();
        }

        @Override
        public CompletionStage<SinkResult> acceptAsync(Sighting position) {
            if (queued.incrementAndGet() > gt06MaxQueued) {
                queued.decrementAndGet();
                return CompletableFuture.completedFuture(
                        SinkResult.busy(gt06MaxQueued + " GT06 positions are waiting to be stored"));
            }
            DeviceQueue queue = queues.computeIfAbsent(position.deviceId(), k -> new DeviceQueue());
            Waiting waiting = new Waiting(position, new CompletableFuture<>());
            queue.positions.add(waiting);
            if (queue.scheduled.compareAndSet(false, true)) {
                executor.execute(() -> drain(queue));
            }
            return waiting.stored();
        }

        private void drain(DeviceQueue queue) {
            while (true) {
                List<Waiting> batch = new ArrayList<>();
                Waiting w;
                while (batch.size() < 1_000 && (w = queue.positions.poll()) != null) {
                    batch.add(w);
                }
                if (batch.isEmpty()) {
                    queue.scheduled.set(false);
                    if (queue.positions.isEmpty() || !queue.scheduled.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                queued.addAndGet(-batch.size());
                record(batch);
            }
        }

        /** Records one device's batch and completes each position's stage with what became of it. */
        private void record(List<Waiting> batch) {
            List<SinkResult> results = new ArrayList<>(Collections.nCopies(batch.size(), SinkResult.accepted()));
            try {
                RecordResult result =
                        ingest.record(batch.stream().map(Waiting::position).toList());
                result.rejected().forEach(r -> results.set(r.index(), SinkResult.rejected(r.error())));
            } catch (ProblemException e) {
                SinkResult outcome = e.status().getCode() == 503
                        ? SinkResult.busy(e.getMessage())
                        : SinkResult.rejected(e.getMessage());
                Collections.fill(results, outcome);
            } catch (RuntimeException e) {
                // not acknowledged: the device sends them again, a fix already stored then counts as a duplicate
                LOG.warn(
                        "{} GT06 position(s) of {} not recorded, not acknowledged{}",
                        batch.size(),
                        batch.get(0).position().deviceId(),
                        DatabaseFailures.isTransient(e) ? ": the database is not reachable" : "",
                        DatabaseFailures.isTransient(e) ? null : e);
                Collections.fill(results, SinkResult.busy(e.toString()));
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).stored().complete(results.get(i));
            }
        }
    }

    /** A GT06 position waiting to be stored, and the stage its session acknowledges on. */
    private record Waiting(Sighting position, CompletableFuture<SinkResult> stored) {}

    private static final class DeviceQueue {
        final Queue<Waiting> positions = new ConcurrentLinkedQueue<>();
        final AtomicBoolean scheduled = new AtomicBoolean();
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
