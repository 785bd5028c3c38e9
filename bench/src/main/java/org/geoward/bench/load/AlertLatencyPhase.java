package org.geoward.bench.load;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fix → alert on the live stream under load: the JSON senders post their walkers' batches paced to a given rate
 * while probe fixes, {@code --probe-rate} a second, each open a WANDER alert: every probe is a ward of its own, first
 * seen inside its SAFE zone (5 km north of the ring, away from every walk), then once 2 km east of it. Each probe is
 * timed from just before its POST to its {@code opened} event on {@code GET /api/alerts/stream}. Prints one {@code
 * LATENCY} line.
 */
final class AlertLatencyPhase {
    private static final double ZONE_RADIUS_METERS = 300;
    private static final double PROBE_OFFSET_METERS = 2_000;
    private static final long SETTLE_MILLIS = 2_000;

    private final JsonLoadOptions options;
    private final GeowardTarget target;
    private final ServerMetrics metrics;
    private final ExecutorService pool;
    private final List<List<Walker>> perSender;
    private final int[][] cursors;
    private final PrintStream out;

    AlertLatencyPhase(
            JsonLoadOptions options,
            GeowardTarget target,
            ServerMetrics metrics,
            ExecutorService pool,
            List<List<Walker>> perSender,
            int[][] cursors,
            PrintStream out) {
        this.options = options;
        this.target = target;
        this.metrics = metrics;
        this.pool = pool;
        this.perSender = perSender;
        this.cursors = cursors;
        this.out = out;
    }

    /** Runs the phase with the load at {@code rate} fixes per second. */
    void run(double rate) throws Exception {
        double[] zone = Ring.lonLat(0, 5_000);
        List<BenchDevice> probes =
                target.setUpSafeZone(options.runId(), options.probes(), zone[0], zone[1], ZONE_RADIUS_METERS);
        Instant inside = Instant.now().minusSeconds(60);
        StringBuilder first = new StringBuilder("[");
        for (BenchDevice p : probes) {
            first.append(first.length() == 1 ? "" : ",").append(fix(p.storeKey(), inside, zone[0], zone[1]));
        }
        BatchPoster poster = new BatchPoster(options.api(), target.accessToken());
        poster.post(first.append(']').toString().getBytes(StandardCharsets.UTF_8), probes.size());
        metrics.awaitEvaluated(Duration.ofSeconds(120));
        double probeLon = zone[0] + PROBE_OFFSET_METERS / Ring.M_PER_DEG_LON;

        try (AlertStreamClock clock = new AlertStreamClock(options.api(), target.accessToken())) {
            clock.awaitReady();
            AtomicBoolean go = new AtomicBoolean(true);
            LongAdder rows = new LongAdder();
            List<Future<Long>> senders = new ArrayList<>();
            for (int s = 0; s < perSender.size(); s++) {
                int index = s;
                senders.add(pool.submit(() -> paced(index, rate / perSender.size(), go, rows)));
            }
            CpuSample before = CpuSample.take(options.serverPid(), options.pgData());
            long start = System.nanoTime();
            Thread.sleep(SETTLE_MILLIS);
            List<CompletableFuture<HttpResponse<String>>> sent = probe(clock, probes, probeLon, zone[1]);
            go.set(false);
            long busy = 0;
            for (Future<Long> f : senders) {
                try {
                    busy += f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a paced sender failed: " + e.getCause(), e.getCause());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (CompletableFuture<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.join();
                if (r.statusCode() != 202) {
                    throw new IllegalStateException("a probe answered " + r.statusCode() + ": " + r.body());
                }
            }
            long received = clock.await(15);
            metrics.awaitEvaluated(Duration.ofSeconds(120));
            CpuSample after = CpuSample.take(options.serverPid(), options.pgData());
            long loadRows = rows.sum();
            LatencyHistogram h = clock.latency();
            out.printf(
                    Locale.ROOT,
                    "LATENCY n=%d sent=%d p50=%.1fms p95=%.1fms p99=%.1fms max=%.1fms load_target_rows/s=%.0f"
                            + " load_rows/s=%.0f busy503=%d jvm_us=%.1f pg_us=%.1f gen_us=%.1f others_pct=%.0f"
                            + " seconds=%.1f load=%s%n",
                    received,
                    clock.expected(),
                    h.percentileMillis(0.50),
                    h.percentileMillis(0.95),
                    h.percentileMillis(0.99),
                    clock.maxMillis(),
                    rate,
                    loadRows / seconds,
                    busy,
                    CpuSample.microsPerFix(before.jvm(), after.jvm(), loadRows),
                    CpuSample.microsPerFix(before.postgres(), after.postgres(), loadRows),
                    CpuSample.microsPerFix(before.generator(), after.generator(), loadRows),
                    CpuSample.othersPercent(before, after),
                    seconds,
                    JsonLoad.loadAverage());
        }
    }

    /** Sends one probe per probe ward at {@code --probe-rate}; returns the answers to come. */
    private List<CompletableFuture<HttpResponse<String>>> probe(
            AlertStreamClock clock, List<BenchDevice> probes, double lon, double lat) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI sightings = options.api().resolve("/api/sightings");
        long period = (long) (1e9 / options.probeRate());
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            long wait = start + i * period - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long subject = probes.get(i).storeKey();
            HttpRequest request = HttpRequest.newBuilder(sightings)
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + target.accessToken())
                    .POST(HttpRequest.BodyPublishers.ofString(fix(subject, Instant.now(), lon, lat)))
                    .build();
            clock.expect(subject, System.nanoTime());
            sent.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        return sent;
    }

    /**
     * Sender {@code index}: its walkers' batches at {@code rate} fixes per second (a batch every batch / rate seconds,
     * later when an answer takes longer) until {@code go} turns false; returns the 503s it met.
     */
    private long paced(int index, double rate, AtomicBoolean go, LongAdder rows) throws InterruptedException {
        BatchPoster poster = new BatchPoster(options.api(), target.accessToken());
        long period = (long) (1e9 * options.batch() / rate);
        long next = System.nanoTime();
        while (go.get()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next = Math.max(next + period, System.nanoTime() - period);
            JsonBatch batch = JsonBatch.next(perSender.get(index), options.batch(), cursors[index]);
            poster.post(batch.json(), batch.size());
            batch.countStored();
            rows.add(batch.size());
        }
        return poster.busy();
    }

    private static String fix(long subject, Instant time, double lon, double lat) {
        return String.format(
                Locale.ROOT,
                "{\"subjectId\":%d,\"time\":\"%s\",\"lon\":%.7f,\"lat\":%.7f,\"accuracy\":5}",
                subject,
                time,
                lon,
                lat);
    }
}
