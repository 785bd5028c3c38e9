package org.geoward.bench.load;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;

/**
 * The JSON load generator: wards walking the {@link Ring} across its fences (set up through Geoward's REST API, as
 * {@link OsmAndLoad} does), whose fixes go in interleaved rounds either as {@code POST /api/sightings} batches from
 * {@code --senders} HTTP senders, or as a binary COPY of the same kind of rows straight into {@code sighting} over as
 * many JDBC connections; then, at half the HTTP rate, probe fixes that each open an alert, timed to their {@code
 * opened} event on the alert stream ({@link AlertLatencyPhase}). Prints a {@code ROUND} line per round (rows/s of
 * each, HTTP/COPY, CPU per row of the server JVM, PostgreSQL and this generator from /proc), a {@code SUMMARY}, a
 * {@code LATENCY} line and a {@code CHECK} line (stored == acked per ward). Exits 3 when a stored fix is missing, 2 on
 * bad options, 1 on other failures. Run it under {@code flock /tmp/geoward-bench.lock} (bench/json-load.sh does).
 */
public final class JsonLoad {
    private static final Duration EVALUATION_LIMIT = Duration.ofSeconds(180);

    private final JsonLoadOptions options;
    private final PrintStream out = System.out;
    private final GeowardTarget target;
    private final ServerMetrics metrics;
    private final DatabaseActivity database;
    private final ExecutorService pool;
    private final List<List<Walker>> perSender = new ArrayList<>();
    private final int[][] cursors;

    /** One timed phase: rows stored, wall time, CPU before and after (after the evaluation caught up). */
    record Phase(
            long rows,
            double seconds,
            CpuSample before,
            CpuSample after,
            double fixesPerGroup,
            DatabaseActivity.Sample dbBefore,
            DatabaseActivity.Sample dbAfter) {
        double rate() {
            return rows / seconds;
        }

        /** Rows updated (by anyone) in the database per row stored, from pg_stat_database (good to a second's worth). */
        double updatedPerRow() {
            return DatabaseActivity.perFix(dbBefore.updated(), dbAfter.updated(), rows);
        }

        double micros(ToDoubleFunction<CpuSample> field) {
            return CpuSample.microsPerFix((long) field.applyAsDouble(before), (long) field.applyAsDouble(after), rows);
        }
    }

    private JsonLoad(JsonLoadOptions options) {
        this.options = options;
        this.target = new GeowardTarget(options.api(), options.dbUrl(), options.dbUser(), options.dbPassword());
        this.metrics = new ServerMetrics(target.rest());
        this.database = new DatabaseActivity(options.dbUrl(), options.dbUser(), options.dbPassword());
        this.pool = Executors.newFixedThreadPool(options.senders());
        this.cursors = new int[options.senders()][1];
    }

    public static void main(String[] args) throws Exception {
        JsonLoadOptions options;
        try {
            options = JsonLoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int code;
        JsonLoad load = new JsonLoad(options);
        try {
            code = load.run();
        } catch (IllegalStateException e) {
            System.err.println("json-load: " + e.getMessage());
            code = 1;
        } finally {
            load.pool.shutdownNow();
        }
        System.exit(code);
    }

    private int run() throws Exception {
        target.logIn(options.user(), options.password());
        Ring ring = new Ring(options.fences(), options.fenceShiftMeters());
        Instant setUpAt = Instant.now().minusSeconds(60);
        long start = System.nanoTime();
        List<BenchDevice> wards = target.setUpWards(ring, options.wards(), options.runId());
        List<Walker> walkers = new ArrayList<>();
        for (int d = 0; d < wards.size(); d++) {
            walkers.add(ring.walker(d, wards.size(), options.stepMeters(), wards.get(d)));
        }
        for (int s = 0; s < options.senders(); s++) {
            perSender.add(new ArrayList<>());
        }
        for (int d = 0; d < walkers.size(); d++) {
            perSender.get(d % options.senders()).add(walkers.get(d)); // each ward's fixes stay in one sender's order
        }
        out.printf(
                Locale.ROOT,
                "SETUP run=%s wards=%d fences=%d fence_shift_m=%.0f in %.1f s%n",
                options.runId(),
                wards.size(),
                ring.fences(),
                options.fenceShiftMeters(),
                (System.nanoTime() - start) / 1e9);
        try (CopyLoader copier =
                new CopyLoader(options.dbUrl(), options.dbUser(), options.dbPassword(), options.senders())) {
            return load(copier, walkers, wards, setUpAt);
        } finally {
            if (options.cleanup()) {
                try {
                    target.cleanUp(wards);
                } catch (IllegalStateException e) {
                    out.println("NOTE clean-up failed, the run's fences may be left: " + e.getMessage());
                }
            }
        }
    }

    private int load(CopyLoader copier, List<Walker> walkers, List<BenchDevice> wards, Instant setUpAt)
            throws Exception {
        long warmStart = System.nanoTime();
        post(batches(options.warmupBatches()));
        copy(copier, batches(Math.max(options.senders(), options.warmupBatches() / 10)));
        metrics.awaitEvaluated(EVALUATION_LIMIT);
        out.printf(
                Locale.ROOT,
                "WARMUP %d batches posted in %.1f s%n",
                options.warmupBatches(),
                (System.nanoTime() - warmStart) / 1e9);
        List<Double> ratios = new ArrayList<>();
        List<Phase> https = new ArrayList<>();
        List<Phase> copies = new ArrayList<>();
        for (int r = 1; r <= options.rounds(); r++) {
            List<List<JsonBatch>> forCopy = batches(options.roundBatches());
            List<List<JsonBatch>> forHttp = batches(options.roundBatches());
            boolean copyFirst = r % 2 == 1;
            Phase copy = copyFirst ? timedCopy(copier, forCopy) : null;
            Phase http = timedPost(forHttp);
            if (!copyFirst) {
                copy = timedCopy(copier, forCopy);
            }
            ratios.add(http.rate() / copy.rate());
            https.add(http);
            copies.add(copy);
            out.println(roundLine(r, copyFirst, copy, http));
        }
        out.println(summary(ratios, https, copies));
        double medianHttp = median(https.stream().map(Phase::rate).toList());
        if (options.probes() > 0) {
            double rate = options.latencyRate() > 0 ? options.latencyRate() : medianHttp / 2;
            new AlertLatencyPhase(options, target, metrics, pool, perSender, cursors, out).run(rate);
        }
        metrics.awaitEvaluated(EVALUATION_LIMIT);
        return check(walkers, wards, setUpAt);
    }

    /** {@code count} batches (a multiple of the senders), as lists per sender, each in its walkers' order. */
    private List<List<JsonBatch>> batches(int count) {
        List<List<JsonBatch>> out = new ArrayList<>();
        for (int s = 0; s < options.senders(); s++) {
            List<JsonBatch> own = new ArrayList<>();
            for (int b = 0; b < count / options.senders(); b++) {
                own.add(JsonBatch.next(perSender.get(s), options.batch(), cursors[s]));
            }
            out.add(own);
        }
        return out;
    }

    private Phase timedPost(List<List<JsonBatch>> batches) throws Exception {
        List<List<byte[]>> bodies = batches.stream()
                .map(own -> own.stream().map(JsonBatch::json).toList())
                .toList();
        double[] groups0 = metrics.groups();
        DatabaseActivity.Sample db0 = database.sample();
        CpuSample before = CpuSample.take(options.serverPid(), options.pgData());
        long start = System.nanoTime();
        long rows = post(batches, bodies);
        double seconds = (System.nanoTime() - start) / 1e9;
        metrics.awaitEvaluated(EVALUATION_LIMIT);
        CpuSample after = CpuSample.take(options.serverPid(), options.pgData());
        double[] groups1 = metrics.groups();
        double perGroup = (groups1[1] - groups0[1]) / Math.max(1, groups1[0] - groups0[0]);
        Thread.sleep(1_100); // PostgreSQL publishes its counters about once a second
        return new Phase(rows, seconds, before, after, perGroup, db0, database.sample());
    }

    private Phase timedCopy(CopyLoader copier, List<List<JsonBatch>> batches) throws Exception {
        DatabaseActivity.Sample db0 = database.sample();
        CpuSample before = CpuSample.take(options.serverPid(), options.pgData());
        long start = System.nanoTime();
        long rows = copy(copier, batches);
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuSample after = CpuSample.take(options.serverPid(), options.pgData());
        Thread.sleep(1_100); // PostgreSQL publishes its counters about once a second
        return new Phase(rows, seconds, before, after, Double.NaN, db0, database.sample());
    }

    private long post(List<List<JsonBatch>> batches) throws Exception {
        return post(
                batches,
                batches.stream()
                        .map(own -> own.stream().map(JsonBatch::json).toList())
                        .toList());
    }

    /** Sender s posts batches.get(s) in order (bodies.get(s) rendered from them); returns the fixes stored. */
    private long post(List<List<JsonBatch>> batches, List<List<byte[]>> bodies) throws Exception {
        List<Callable<Long>> work = new ArrayList<>();
        for (int s = 0; s < batches.size(); s++) {
            List<JsonBatch> own = batches.get(s);
            List<byte[]> ownBodies = bodies.get(s);
            BatchPoster poster = new BatchPoster(options.api(), target.accessToken());
            work.add(() -> {
                long rows = 0;
                for (int b = 0; b < own.size(); b++) {
                    poster.post(ownBodies.get(b), own.get(b).size());
                    own.get(b).countStored();
                    rows += own.get(b).size();
                }
                return rows;
            });
        }
        return sum(work);
    }

    private long copy(CopyLoader copier, List<List<JsonBatch>> batches) throws Exception {
        List<Callable<Long>> work = new ArrayList<>();
        for (int s = 0; s < batches.size(); s++) {
            int index = s;
            work.add(() -> copier.copy(index, batches.get(index)));
        }
        return sum(work);
    }

    private long sum(List<Callable<Long>> work) throws InterruptedException {
        long total = 0;
        List<Future<Long>> futures = pool.invokeAll(work);
        for (Future<Long> f : futures) {
            try {
                total += f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IllegalStateException ise
                        ? ise
                        : new IllegalStateException(e.getCause().toString(), e.getCause());
            }
        }
        return total;
    }

    private String roundLine(int round, boolean copyFirst, Phase copy, Phase http) {
        return String.format(
                Locale.ROOT,
                "ROUND %d first=%s copy_rows/s=%.0f http_rows/s=%.0f ratio=%.1f%% http_jvm_us=%.1f http_pg_us=%.1f"
                        + " http_gen_us=%.1f copy_jvm_us=%.1f copy_pg_us=%.1f copy_gen_us=%.1f http_fixes_per_group=%.0f"
                        + " http_pg_updated_per_row=%.2f http_others_pct=%.0f copy_others_pct=%.0f http_s=%.2f copy_s=%.2f"
                        + " load=%s",
                round,
                copyFirst ? "copy" : "http",
                copy.rate(),
                http.rate(),
                100 * http.rate() / copy.rate(),
                http.micros(CpuSample::jvm),
                http.micros(CpuSample::postgres),
                http.micros(CpuSample::generator),
                copy.micros(CpuSample::jvm),
                copy.micros(CpuSample::postgres),
                copy.micros(CpuSample::generator),
                http.fixesPerGroup(),
                http.updatedPerRow(),
                CpuSample.othersPercent(http.before(), http.after()),
                CpuSample.othersPercent(copy.before(), copy.after()),
                http.seconds(),
                copy.seconds(),
                loadAverage());
    }

    private static String summary(List<Double> ratios, List<Phase> https, List<Phase> copies) {
        return "SUMMARY " + range("ratio_pct", ratios.stream().map(r -> 100 * r).toList())
                + range("http_rows/s", https.stream().map(Phase::rate).toList())
                + range("copy_rows/s", copies.stream().map(Phase::rate).toList())
                + range("http_jvm_us", micros(https, CpuSample::jvm))
                + range("http_pg_us", micros(https, CpuSample::postgres))
                + range("http_gen_us", micros(https, CpuSample::generator))
                + range("copy_jvm_us", micros(copies, CpuSample::jvm))
                + range("copy_pg_us", micros(copies, CpuSample::postgres))
                + range("copy_gen_us", micros(copies, CpuSample::generator))
                + "rounds=" + ratios.size();
    }

    private static List<Double> micros(List<Phase> phases, ToDoubleFunction<CpuSample> field) {
        return phases.stream().map(p -> p.micros(field)).toList();
    }

    /** {@code name=median(min-max) }. */
    static String range(String name, List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return String.format(
                Locale.ROOT, "%s=%.1f(%.1f-%.1f) ", name, median(sorted), sorted.get(0), sorted.get(sorted.size() - 1));
    }

    static double median(List<Double> values) {
        List<Double> v = values.stream().sorted().toList();
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /** Prints the CHECK line (and a loud MISSING line); returns 3 when a stored fix is missing, else 0. */
    private int check(List<Walker> walkers, List<BenchDevice> wards, Instant setUpAt) {
        Target.Stored stored = target.count(wards, setUpAt, Instant.now().plusSeconds(360));
        long acked = 0;
        long missing = 0;
        long extra = 0;
        for (int i = 0; i < walkers.size(); i++) {
            long a = walkers.get(i).acked();
            long s = stored.perDevice()[i];
            acked += a;
            missing += Math.max(0, a - s);
            extra += Math.max(0, s - a);
        }
        if (missing > 0) {
            out.println("!!!!!!!! MISSING: " + missing + " acked fixes are not stored !!!!!!!!");
        }
        out.printf(
                Locale.ROOT,
                "CHECK acked=%d stored=%d missing=%d stored_unacked=%d alerts=%s run=%s%n",
                acked,
                stored.total(),
                missing,
                extra,
                stored.details().get("alerts"),
                options.runId());
        return missing > 0 ? 3 : 0;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + "," + f[1] + "," + f[2];
        } catch (java.io.IOException e) {
            return "NA";
        }
    }
}
