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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.geoward.sighting.RecordResult;
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
    private final OsmAndDecoder osmand = new OsmAndDecoder();
    private DeviceHttpServer osmandServer;
    private Gt06Server gt06Server;
    private volatile InetSocketAddress osmandAddress;
    private volatile InetSocketAddress gt06Address;

    DeviceListeners(
            DeviceIngest ingest,
            @Named(TaskExecutors.BLOCKING) ExecutorService executor,
            @Value("${geoward.devices.host:0.0.0.0}") String host,
            @Value("${geoward.osmand.port:5055}") int osmandPort,
            @Value("${geoward.gt06.port:5023}") int gt06Port) {
        this.ingest = ingest;
        this.executor = executor;
        this.host = host;
        this.osmandPort = osmandPort;
        this.gt06Port = gt06Port;
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        if (osmandPort >= 0) {
            osmandServer = new DeviceHttpServer("osmand", host, osmandPort, executor, this::handleOsmAnd);
            osmandAddress = osmandServer.start();
        }
        if (gt06Port >= 0) {
            gt06Server = new Gt06Server(host, gt06Port, Duration.ofMinutes(5), 2, new Gt06Sink());
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
            List<DevicePosition> positions = json || body.trim().startsWith("{")
                    ? osmand.decodeJson(body)
                    : osmand.decodeQuery(params).map(List::of).orElse(List.of());
            if (positions.isEmpty()) {
                return OsmAndDecoder.reply();
            }
            String token =
                    params.getOrDefault("token", List.of()).stream().findFirst().orElse(null);
            String uniqueId = positions.get(0).uniqueId();
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

    /** GT06 positions arrive on Netty's threads: they are checked there and recorded on the blocking executor. */
    private final class Gt06Sink implements PositionSink {
        @Override
        public boolean isKnown(String uniqueId) {
            return ingest.isKnown(uniqueId, "GT06", "tcp");
        }

        @Override
        public SinkResult accept(DevicePosition position) {
            executor.execute(() -> {
                try {
                    ingest.record(List.of(position));
                } catch (RuntimeException e) {
                    LOG.warn("GT06 position of {} not recorded", position.uniqueId(), e);
                }
            });
            return SinkResult.accepted();
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
