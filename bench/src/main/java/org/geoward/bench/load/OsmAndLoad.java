package org.geoward.bench.load;

import static org.geoward.bench.load.DatabaseActivity.perFix;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OsmAnd load generator: sets up devices and fences on a Geoward or a Traccar through its REST API, then sends
 * one OsmAnd fix per request over {@code --connections} keep-alive connections, each waiting for its answer before
 * the next request as a phone does, first for {@code --warmup-seconds}, then for the timed phase. Afterwards it
 * counts what the target stored of the acked fixes and prints one {@code LOAD} line: acked fixes per second of the
 * timed phase, latency percentiles, stored against acked, and CPU per fix of the server JVM, PostgreSQL and this
 * generator (from /proc). Exits 3 when an acked fix is missing from storage, 2 on bad options, 1 on other failures.
 *
 * <p>Run it under {@code flock /tmp/geoward-bench.lock} (bench/osmand-load.sh does), so that benchmarks on this
 * shared machine do not overlap.
 */
public final class OsmAndLoad {
    private static final Duration JOIN_GRACE = Duration.ofSeconds(Sender.MAX_ATTEMPTS * 2L + 60);
    private static final int SHOWN_MISSING = 5;

    private final LoadOptions options;
    private final PrintStream out = System.out;

    private OsmAndLoad(LoadOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            System.exit(new OsmAndLoad(options).run());
        } catch (IllegalStateException e) {
            System.err.println("osmand-load: " + e.getMessage());
            System.exit(1);
        }
    }

    private int run() throws InterruptedException {
        Target target = options.target().equals("traccar")
                ? new TraccarTarget(options.api(), options.dbUrl(), options.dbUser(), options.dbPassword())
                : new GeowardTarget(options.api(), options.dbUrl(), options.dbUser(), options.dbPassword());
        target.logIn(options.user(), options.password());
        Ring ring = new Ring(options.fences());
        Instant setUpAt = Instant.now().minusSeconds(60);
        long setUpStart = System.nanoTime();
        List<BenchDevice> devices = target.setUp(ring, options.devices(), options.runId());
        out.printf(
                Locale.ROOT,
                "SETUP target=%s run=%s devices=%d fences=%d in %.1f s%n",
                options.target(),
                options.runId(),
                devices.size(),
                ring.fences(),
                (System.nanoTime() - setUpStart) / 1e9);
        try {
            return load(target, ring, devices, setUpAt);
        } finally {
            if (options.cleanup()) {
                try {
                    target.cleanUp(devices);
                } catch (IllegalStateException e) {
                    out.println("NOTE clean-up failed, the run's devices or fences may be left: " + e.getMessage());
                }
            }
        }
    }

    private int load(Target target, Ring ring, List<BenchDevice> devices, Instant setUpAt) throws InterruptedException {
        List<Walker> walkers = new ArrayList<>();
        for (int d = 0; d < devices.size(); d++) {
            walkers.add(ring.walker(d, devices.size(), options.stepMeters(), devices.get(d)));
        }
        Phases phases = new Phases();
        Counters warmup = new Counters();
        phases.begin(warmup, 0);
        int connections = Math.min(options.connections(), walkers.size());
        List<Sender> senders = senders(walkers, connections, phases);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(new Thread(senders.get(c), "osmand-" + c));
        }
        SecondReporter reporter = new SecondReporter(phases, out);
        if (options.perSecond()) {
            reporter.start();
        }
        threads.forEach(Thread::start);
        awaitFirstAcks(phases, devices.size(), threads);
        Thread.sleep(options.warmupSeconds() * 1_000L);

        DatabaseActivity database = options.dbUrl() == null
                ? null
                : new DatabaseActivity(options.dbUrl(), options.dbUser(), options.dbPassword());
        DatabaseActivity.Sample dbBefore = database == null ? null : database.sample();
        CpuSample before = CpuSample.take(options.serverPid(), options.pgData());
        Counters timed = new Counters();
        reporter.phase("timed");
        long elapsed = timedPhase(phases, timed, threads);
        CpuSample after = CpuSample.take(options.serverPid(), options.pgData());
        reporter.close();
        Map<String, String> activity = activity(database, dbBefore, timed.acked.sum());
        Target.Stored stored = target.count(devices, setUpAt, Instant.now().plusSeconds(360));
        long connects = senders.stream().mapToLong(Sender::connects).sum();
        int missing = report(timed, warmup, elapsed, before, after, walkers, stored, activity, connects - connections);
        senders.stream()
                .map(Sender::firstFailure)
                .filter(f -> f != null)
                .findFirst()
                .ifPresent(f -> out.println("NOTE first request without an answer: " + f));
        for (Counters c : List.of(warmup, timed)) {
            if (c.firstOther() != null) {
                out.println("NOTE first answer other than 200/503: " + c.firstOther());
            }
        }
        return missing > 0 ? 3 : 0;
    }

    /** The database work per acked fix of the timed phase, as LOAD fields; none without a database URL. */
    private static Map<String, String> activity(DatabaseActivity database, DatabaseActivity.Sample before, long acked)
            throws InterruptedException {
        Map<String, String> fields = new LinkedHashMap<>();
        if (database == null) {
            return fields;
        }
        Thread.sleep(1_500); // the counters are published about once a second: let the last second's arrive
        DatabaseActivity.Sample after = database.sample();
        fields.put("pg_commits_per_fix", format(perFix(before.commits(), after.commits(), acked), 2));
        fields.put("pg_rows_inserted_per_fix", format(perFix(before.inserted(), after.inserted(), acked), 2));
        fields.put("wal_bytes_per_fix", format(perFix(before.walBytes(), after.walBytes(), acked), 0));
        fields.put("wal_syncs_per_fix", format(perFix(before.walSyncs(), after.walSyncs(), acked), 2));
        return fields;
    }

    /** One sender per connection; walker d goes to connection d mod connections, so each device keeps its order. */
    private List<Sender> senders(List<Walker> walkers, int connections, Phases phases) {
        List<List<Walker>> perConnection = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            perConnection.add(new ArrayList<>());
        }
        for (int d = 0; d < walkers.size(); d++) {
            perConnection.get(d % connections).add(walkers.get(d));
        }
        List<Sender> senders = new ArrayList<>();
        for (List<Walker> own : perConnection) {
            senders.add(new Sender(options.osmand(), options.method(), own, phases));
        }
        return senders;
    }

    /**
     * Counts in {@code timed} for {@code --seconds}, or until {@code --fixes} were sent (at most {@code
     * --max-seconds}), then lets every sender finish its last request; returns the nanoseconds that took.
     */
    private long timedPhase(Phases phases, Counters timed, List<Thread> threads) throws InterruptedException {
        long start = System.nanoTime();
        phases.begin(timed, options.fixes());
        int seconds = options.seconds() > 0 ? Math.min(options.seconds(), options.maxSeconds()) : options.maxSeconds();
        long deadline = start + seconds * 1_000_000_000L;
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        phases.stop();
        for (Thread t : threads) {
            t.join(JOIN_GRACE.toMillis());
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not finish within " + JOIN_GRACE);
            }
        }
        return System.nanoTime() - start;
    }

    /**
     * Waits until every device has had one fix acked, at most {@code --max-seconds}: a device's first report may cost
     * the server a one-off check (Geoward verifies the device token's bcrypt hash, tens of milliseconds of CPU, then
     * remembers it), which belongs to the warm-up, not to the steady state the timed phase measures.
     */
    private void awaitFirstAcks(Phases phases, int devices, List<Thread> threads) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + options.maxSeconds() * 1_000_000_000L;
        while (phases.firstAcks() < devices
                && System.nanoTime() < deadline
                && threads.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(100);
        }
        out.printf(
                Locale.ROOT,
                "WARMUP %d of %d devices had a fix acked after %.1f s; %d s more before the timed phase%n",
                phases.firstAcks(),
                devices,
                (System.nanoTime() - start) / 1e9,
                options.warmupSeconds());
    }

    /** Prints the LOAD line (and a loud MISSING line); returns how many acked fixes are not stored. */
    private int report(
            Counters timed,
            Counters warmup,
            long elapsedNanos,
            CpuSample before,
            CpuSample after,
            List<Walker> walkers,
            Target.Stored stored,
            Map<String, String> activity,
            long reconnects) {
        long acked = timed.acked.sum();
        long ackedTotal = acked + warmup.acked.sum();
        long missing = 0;
        long extra = 0;
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < walkers.size(); i++) {
            long a = walkers.get(i).acked();
            long s = stored.perDevice()[i];
            if (s < a) {
                missing += a - s;
                if (shown.size() < SHOWN_MISSING) {
                    shown.add(walkers.get(i).device().uniqueId() + " acked " + a + " stored " + s);
                }
            } else {
                extra += s - a;
            }
        }
        if (missing > 0) {
            out.println("!!!!!!!! MISSING: " + missing + " acked fixes are not stored (" + String.join("; ", shown)
                    + (shown.size() < SHOWN_MISSING ? "" : "; ...") + ") !!!!!!!!");
        }
        double seconds = elapsedNanos / 1e9;
        StringBuilder line = new StringBuilder("LOAD");
        field(line, "target", options.target());
        field(line, "fixes/s", format(acked / seconds, 1));
        field(line, "acked", acked);
        field(line, "acked_total", ackedTotal);
        field(line, "stored", stored.total());
        field(line, "missing", missing);
        field(line, "stored_unacked", extra);
        field(line, "p50", format(timed.latency.percentileMillis(0.50), 1) + "ms");
        field(line, "p95", format(timed.latency.percentileMillis(0.95), 1) + "ms");
        field(line, "p99", format(timed.latency.percentileMillis(0.99), 1) + "ms");
        field(line, "busy503", timed.busy.sum() + warmup.busy.sum());
        field(line, "other", timed.other.sum() + warmup.other.sum());
        field(line, "failed", timed.failed.sum() + warmup.failed.sum());
        field(line, "dropped", timed.dropped.sum() + warmup.dropped.sum());
        field(line, "reconnects", reconnects);
        field(line, "cpu_jvm_us_per_fix", format(CpuSample.microsPerFix(before.jvm(), after.jvm(), acked), 0));
        field(line, "cpu_pg_us_per_fix", format(CpuSample.microsPerFix(before.postgres(), after.postgres(), acked), 0));
        field(
                line,
                "cpu_gen_us_per_fix",
                format(CpuSample.microsPerFix(before.generator(), after.generator(), acked), 0));
        long total = after.machineTotal() - before.machineTotal();
        field(
                line,
                "machine_busy_pct",
                format(total > 0 ? 100.0 * (after.machineBusy() - before.machineBusy()) / total : Double.NaN, 0));
        field(line, "others_pct", format(CpuSample.othersPercent(before, after), 0));
        field(line, "seconds", format(seconds, 1));
        field(line, "devices", walkers.size());
        field(line, "fences", options.fences());
        field(line, "connections", Math.min(options.connections(), walkers.size()));
        activity.forEach((name, value) -> field(line, name, value));
        field(line, "stored_by", stored.how());
        for (Map.Entry<String, String> d : stored.details().entrySet()) {
            field(line, d.getKey(), d.getValue());
        }
        field(line, "run", options.runId());
        out.println(line);
        return (int) Math.min(Integer.MAX_VALUE, missing);
    }

    private static void field(StringBuilder line, String name, Object value) {
        line.append(' ').append(name).append('=').append(value);
    }

    private static String format(double value, int decimals) {
        return Double.isNaN(value) ? "NA" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
