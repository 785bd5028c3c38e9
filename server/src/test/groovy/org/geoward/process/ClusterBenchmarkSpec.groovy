package org.geoward.process

import groovy.json.JsonOutput
import java.nio.file.Files
import java.nio.file.Path
import java.sql.Connection
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.Callable
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import org.geoward.partition.PartitionedEvaluation
import spock.lang.AutoCleanup
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification

/**
 * Fixes per second and CPU per fix: the single node (no Kafka), one cluster node, two cluster nodes, on one broker and
 * one PostGIS. 200 wards, each in its own safe zone, send {@code GEOWARD_BENCH_FIXES} fixes (default 60,000) per
 * round in batches of exactly 500 from 4 senders, round robin over the nodes; a round ends when every fix is in
 * {@code sighting}, and must store exactly the fixes it sent. Per case, {@code GEOWARD_BENCH_WARMUP} (3) uncounted
 * warm-up rounds per node (so that each node JVM has handled as many fixes as the single node's) and then {@code GEOWARD_BENCH_ROUNDS} (3) rounds, summed up as median, min-max and spread. CPU per fix of each node JVM
 * (ProcessHandle), of PostgreSQL and of the broker (from /proc), so that it shows what a node costs per fix even where
 * two cores shared with the broker, PostgreSQL and the senders cannot show a second node's throughput. Not in the suite:
 * {@code GEOWARD_BENCH=1 ./mvnw -o test -pl server -Dtest=ClusterBenchmarkSpec}, or bench/cluster-bench.sh.
 */
@Requires({ env.GEOWARD_BENCH })
class ClusterBenchmarkSpec extends Specification {
    static final String PASSWORD = "cluster-bench-pw"
    static final String JWT_SECRET = "cluster-bench-jwt-secret-" + UUID.randomUUID()
    static final int WARDS = 200
    static final int BATCH = 500
    static final int SENDERS = 4
    static final int FIXES = (System.getenv("GEOWARD_BENCH_FIXES") ?: "60000") as int
    static final int ROUNDS = (System.getenv("GEOWARD_BENCH_ROUNDS") ?: "3") as int
    /** Uncounted rounds first: a node JVM's JIT compilers take half its CPU in the first rounds of 20,000 fixes. */
    static final int WARMUP = (System.getenv("GEOWARD_BENCH_WARMUP") ?: "3") as int
    static final List<String> JVM = ["-Xmx512m"]

    @Shared
    @AutoCleanup
    KafkaBroker broker = new KafkaBroker()

    @Shared
    @AutoCleanup
    ServerProcess database = new ServerProcess("geoward-bench-db")

    @Shared
    Map<String, String> dbEnv

    @Shared
    @AutoCleanup("shutdownNow")
    ExecutorService threads = Executors.newFixedThreadPool(SENDERS)

    @Shared
    List<String> results = []

    /** The spec's own connection for the counts, so that a count does not pay for a new connection. */
    @Shared
    Connection db

    List<ServerProcess> nodes = []

    def setupSpec() {
        broker.start()
        database.start([GEOWARD_ADMIN_PASSWORD: PASSWORD, GEOWARD_JWT_SECRET: JWT_SECRET])
        database.kill()
        db = database.database()
        String password = new File(database.pgRoot.toFile(), "password").text.trim()
        dbEnv = [GEOWARD_DB_URL     : "jdbc:postgresql://127.0.0.1:${database.databasePort()}/geoward".toString(),
                 GEOWARD_DB_USER    : "postgres", GEOWARD_DB_PASSWORD: password,
                 GEOWARD_ADMIN_PASSWORD: PASSWORD, GEOWARD_JWT_SECRET: JWT_SECRET]
    }

    def cleanupSpec() {
        db?.close()
        println "ClusterBenchmarkSpec ($FIXES fixes, batches of $BATCH from $SENDERS senders, ${Runtime.runtime.availableProcessors()} cores):"
        results.each { println "  $it" }
    }

    def cleanup() {
        nodes.each { it.close() }
    }

    def "#label: fixes per second and CPU per fix"() {
        given:
        (1..count).each { i ->
            def n = new ServerProcess("geoward-bench-$i", JVM + recording("${topic(label)}-node-$i"))
            nodes << n
            Map<String, String> env = new HashMap<>(dbEnv)
            if (kafka) {
                env += [GEOWARD_KAFKA_BOOTSTRAP: broker.bootstrap, GEOWARD_KAFKA_TOPIC: topic(label),
                        GEOWARD_KAFKA_GROUP    : topic(label), GEOWARD_NODE_ID: "n$i".toString()]
                if (fetchWait) {
                    env += [GEOWARD_KAFKA_FETCH_WAIT: fetchWait]
                }
            }
            n.start(env)
        }
        if (kafka) {
            assert ServerProcess.waitFor(90) { owners(topic(label)) == count }
        }
        String token = nodes[0].token("admin", PASSWORD)
        List<Long> wards = scene(token, label)
        int perRound = FIXES.intdiv(BATCH)
        // each node gets as many warm-up fixes as the single node: with 2 nodes, twice the rounds (each node's JIT
        // compiles the same code from the fixes it handles, half of them)
        int warmup = WARMUP * count
        List<String> batches = batches(wards, 0, 1 + (warmup + ROUNDS) * perRound)
        // warm-up: the same batch to every node (500 rows, the repeats skipped), stored before the count starts: in
        // cluster mode a 202 means "in Kafka" and the row reaches sighting a moment later
        nodes.each { n -> assert n.post("/api/sightings", batches[0], token).statusCode() == 202 }
        assert ServerProcess.waitFor(120) { stored(wards) == BATCH }

        when: 'the first WARMUP rounds warm the JIT up and are not counted'
        Map<Integer, String> owner = kafka ? partitionOwners(topic(label)) : [:]
        List<Map> all = (0..<(warmup + ROUNDS)).collect { r ->
            round(wards, 1 + r * perRound, batches.subList(1 + r * perRound, 1 + (r + 1) * perRound), token, owner)
        }
        List<Map> measured = all.subList(warmup, all.size())
        all.eachWithIndex { Map m, int r ->
            String line = String.format(Locale.ROOT, "%-18s round %d%s: %7.0f fixes/s acknowledged, %7.0f fixes/s stored;"
                    + " CPU µs per fix: node JVM %s (sum %.0f, JIT compilers %.0f), PostgreSQL %.0f%s; PostgreSQL commits"
                    + " per fix %.4f; stored %d of %d;"
                    + " sent to a node not owning the fix's partition %.0f %%; load %s", label,
                    r, r < warmup ? " (warm-up)" : "", m.ackRate, m.storeRate, m.nodeCpu.collect { String.format("%.0f", it) }, m.nodeCpu.sum(),
                    m.jitCpu, m.pgCpu, kafka ? String.format(", broker %.0f", m.brokerCpu) : "", m.commits, m.stored, m.fixes,
                    100.0 * m.foreign / m.fixes, m.load)
            results << line
            println line
        }
        results << summary(label, measured)
        nodes.eachWithIndex { ServerProcess n, int i ->
            results << threadSummary("$label, node ${i + 1}", measured.collect { (it.threads as List<Map>)[i] },
                    measured.sum { it.fixes as int } as int)
            // the JIT is a cost per node JVM, not per fix: its CPU over the node's whole life so far
            long jit = threadTicks(n.process.pid()).findAll { it.key.contains("CompilerThre") }.values().sum() ?: 0L
            results << String.format(Locale.ROOT, "%-28s JIT compiler threads since the start: %.1f s of CPU, over %d fixes",
                    "$label, node ${i + 1}", jit / 100.0, all.sum { it.fixes as int } + BATCH)
        }

        then:
        all.every { it.stored == it.fixes }

        // with GEOWARD_BENCH_AB, also the cluster cases with a fetch that does not wait (as before 2026-12-07: under
        // load, a fetch then returns at once with what is there)
        where:
        [label, count, kafka, fetchWait] << [
                ["single node", 1, false, null],
                ["cluster, 1 node", 1, true, null],
                ["cluster, 2 nodes", 2, true, null]] + (System.getenv("GEOWARD_BENCH_AB") ? [
                ["cluster, 1 node, fetch-wait 0", 1, true, "0ms"],
                ["cluster, 2 nodes, fetch-wait 0", 2, true, "0ms"]] : [])
    }

    /**
     * One timed round: {@code batches} (batch numbers {@code first} on) sent from 4 senders round robin over the nodes,
     * then the wait until all their rows are in {@code sighting}. "Stored" is when the first count that saw every row
     * began (one connection, polled every 20 ms). CPU per fix of each node JVM (and of its JIT compiler threads), of
     * PostgreSQL (postmaster and its backends) and of the broker; how many fixes went to a node other than the owner
     * of their partition ({@code owner}: partition to node id; that node produced them, the owner consumes them).
     */
    private Map round(List<Long> wards, int first, List<String> batches, String token, Map<Integer, String> owner) {
        long base = stored(wards)
        int fixes = batches.size() * BATCH
        Map<ServerProcess, Duration> cpuBefore = nodes.collectEntries { [it, cpu(it)] }
        List<Map<String, Long>> threadsBefore = nodes.collect { threadTicks(it.process.pid()) }
        long pgBefore = pgCpuTicks(), brokerBefore = brokerCpuTicks(), commitsBefore = commits()
        long began = System.nanoTime()
        def next = new AtomicInteger(0)
        def turn = new AtomicInteger()
        def foreign = new AtomicInteger()
        (0..<SENDERS).collect {
            threads.submit({
                int b
                while ((b = next.getAndIncrement()) < batches.size()) {
                    while (true) {
                        int k = turn.getAndIncrement() % nodes.size()
                        if (nodes[k].post("/api/sightings", batches[b], token, Duration.ofSeconds(60)).statusCode() == 202) {
                            if (owner) {
                                foreign.addAndGet(foreignFixes(wards, first + b, owner, "n${k + 1}".toString()))
                            }
                            break
                        }
                        Thread.sleep(100)
                    }
                }
            } as Callable)
        }*.get(600, TimeUnit.SECONDS)
        long acked = System.nanoTime()
        long done = 0
        long deadline = acked + TimeUnit.SECONDS.toNanos(300)
        while (done == 0 && System.nanoTime() < deadline) {
            long t = System.nanoTime()
            if (stored(wards) - base >= fixes) {
                done = t
            } else {
                Thread.sleep(20)
            }
        }
        long storedFixes = stored(wards) - base
        List<Map<String, Long>> threads = nodes.withIndex().collect { n, i -> minus(threadTicks(n.process.pid()), threadsBefore[i]) }
        [fixes    : fixes, stored: storedFixes, ackRate: fixes / ((acked - began) / 1e9),
         storeRate: done == 0 ? 0 : fixes / ((done - began) / 1e9),
         nodeCpu  : nodes.collect { n -> (cpu(n) - cpuBefore[n]).toNanos() / 1000.0 / fixes },
         threads  : threads, foreign: foreign.get(),
         jitCpu   : threads.sum { Map<String, Long> t -> t.findAll { it.key.contains("CompilerThre") }.values().sum() ?: 0L } * 10_000.0 / fixes,
         pgCpu    : (pgCpuTicks() - pgBefore) * 10_000.0 / fixes, brokerCpu: (brokerCpuTicks() - brokerBefore) * 10_000.0 / fixes,
         commits  : (commits() - commitsBefore) / (double) fixes,
         load     : new File("/proc/loadavg").text.split(" ")[0]]
    }

    /** The median of each figure over the rounds, with min-max and the spread (max - min) as a share of the median. */
    private static String summary(String label, List<Map> rounds) {
        Closure<String> figure = { String name, List<Double> values ->
            List<Double> sorted = values.sort(false)
            double median = sorted[sorted.size().intdiv(2)]
            String.format(Locale.ROOT, "%s %.0f (%.0f-%.0f, spread %.0f %%)", name, median, sorted[0], sorted[-1],
                    median == 0 ? 0 : 100 * (sorted[-1] - sorted[0]) / median)
        }
        String.format("%-18s median of %d: ", label, rounds.size()) + [
                figure("acknowledged/s", rounds.collect { it.ackRate as double }),
                figure("stored/s", rounds.collect { it.storeRate as double }),
                figure("node JVM µs/fix (sum)", rounds.collect { (it.nodeCpu as List<Double>).sum() as double }),
                figure("of it JIT compilers", rounds.collect { it.jitCpu as double }),
                figure("node JVM less JIT µs/fix (sum)", rounds.collect { ((it.nodeCpu as List<Double>).sum() - it.jitCpu) as double }),
                figure("PostgreSQL µs/fix", rounds.collect { it.pgCpu as double }),
                figure("broker µs/fix", rounds.collect { it.brokerCpu as double }),
                String.format(Locale.ROOT, "PostgreSQL commits per fix %.4f",
                        rounds.collect { it.commits as double }.sort()[rounds.size().intdiv(2)])].join("; ")
    }

    /**
     * Where a node's CPU went over the counted rounds: CPU µs per fix of the rounds (all nodes' fixes) by thread name,
     * digits folded (every {@code partition-N} one line), the biggest first, threads under 0.1 µs left out.
     */
    private static String threadSummary(String label, List<Map<String, Long>> rounds, int fixes) {
        Map<String, Long> sum = [:]
        rounds.each { r -> r.each { k, v -> sum[k] = (sum[k] ?: 0L) + v } }
        String.format("%-28s threads, CPU µs per fix: ", label) + sum.findAll { it.value * 10_000.0 / fixes >= 0.1 }
                .sort { -it.value }
                .collect { k, v -> String.format(Locale.ROOT, "%s %.1f", k, v * 10_000.0 / fixes) }
                .join(", ")
    }

    /** utime + stime of each thread of a process, in clock ticks, summed by thread name with digits folded. */
    private static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> byName = [:]
        new File("/proc/$pid/task").listFiles()?.each { File task ->
            try {
                String stat = new File(task, "stat").text
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll(/\d+/, "N")
                List<String> f = stat.substring(stat.lastIndexOf(')') + 2).split(" ").toList()
                byName[name] = (byName[name] ?: 0L) + (f[11] as long) + (f[12] as long)
            } catch (IOException ignored) {
                // the thread ended
            }
        }
        byName
    }

    private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        after.collectEntries { k, v -> [k, v - (before[k] ?: 0L)] }
    }

    /** CPU ticks (1/100 s) of PostgreSQL: the postmaster, its live backends, and the backends it has reaped. */
    private long pgCpuTicks() {
        long pid = Files.readAllLines(database.pgData.resolve("postmaster.pid"))[0].trim() as long
        long total = ticks(pid, true)
        ProcessHandle.of(pid).ifPresent { h -> h.children().each { total += ticks(it.pid(), false) } }
        total
    }

    private long brokerCpuTicks() {
        Path pidFile = broker.dir.resolve("broker.pid")
        Files.exists(pidFile) ? ticks(Files.readString(pidFile).trim() as long, true) : 0
    }

    /** utime + stime (+ cutime + cstime) of a process from /proc, in clock ticks; 0 when it is gone. */
    private static long ticks(long pid, boolean withReaped) {
        try {
            String stat = new File("/proc/$pid/stat").text
            List<String> f = stat.substring(stat.lastIndexOf(')') + 2).split(" ").toList()
            // fields after the command: state(3) ... utime(14) stime(15) cutime(16) cstime(17), counted from 1
            long t = (f[11] as long) + (f[12] as long)
            withReaped ? t + (f[13] as long) + (f[14] as long) : t
        } catch (IOException ignored) {
            0
        }
    }

    /**
     * With {@code GEOWARD_BENCH_JFR=DIR}: a flight recording of the node JVM into {@code DIR/NAME.jfr} (the profile
     * settings: method samples every 10-20 ms), to see where a node's CPU goes; otherwise nothing.
     */
    private static List<String> recording(String name) {
        String dir = System.getenv("GEOWARD_BENCH_JFR")
        dir ? ["-XX:StartFlightRecording=filename=$dir/${name}.jfr,settings=profile,dumponexit=true".toString()] : []
    }

    /** A topic name of the label (Kafka allows letters, digits, '.', '_' and '-'). */
    private static String topic(String label) {
        "bench-" + label.replaceAll(/[^A-Za-z0-9]+/, "-")
    }

    /** Partition → the node id that owns it now (from {@code cluster_checkpoint}). */
    private Map<Integer, String> partitionOwners(String topic) {
        database.rows("SELECT partition, owner FROM cluster_checkpoint WHERE topic = ?", topic)
                .collectEntries { [it[0] as int, it[1] as String] }
    }

    /** How many fixes of batch number {@code batch} (see {@link #batches}) belong to a partition {@code node} does not own. */
    private static int foreignFixes(List<Long> wards, int batch, Map<Integer, String> owner, String node) {
        (0..<BATCH).count { j ->
            long ward = wards[(int) (((long) batch * BATCH + j) % wards.size())]
            owner[PartitionedEvaluation.partitionOf(ward, 12)] != node
        } as int
    }

    /**
     * Transactions committed in the database so far ({@code pg_stat_database.xact_commit}; backends publish their
     * counts at most once a second, so a round's figure is good to about a second's commits).
     */
    private long commits() {
        db.createStatement().withCloseable { st ->
            def rs = st.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
            rs.next()
            rs.getLong(1)
        }
    }

    private int owners(String topic) {
        database.rows("SELECT count(DISTINCT owner) FROM cluster_checkpoint WHERE topic = ?", topic)[0][0] as int
    }

    private static Duration cpu(ServerProcess n) {
        n.process.toHandle().info().totalCpuDuration().orElseThrow()
    }

    private List<Long> scene(String token, String label) {
        (0..<WARDS).collect { i ->
            def ward = nodes[0].create("/api/subjects", [kind   : "WARD", name: "bench $label $i", offlineMinutes: 100_000,
                                                                    consent: [by: "bench", textVersion: "test"]], token)
            nodes[0].create("/api/fences", [type      : "Feature", geometry: [type: "Point", coordinates: [108.0 + 0.01 * i, 30.0]],
                                            properties: [name: "bench home $label $i", kind: "SAFE", subjects: [ward.id], radiusMeters: 300]], token)
            ward.id as long
        }
    }

    /**
     * Batches {@code first} to {@code first + count - 1} of exactly {@code BATCH} fixes each. Fix number g of the
     * run goes to ward g mod 200 at second g div 200 after six hours ago (inside its safe zone), so every (subject, time) is unique and
     * a batch of 500 holds two or three fixes of each ward. (Before 2026-12-06 a batch held 500 div 200 = 2 fixes of
     * each ward, 400, while the spec counted 500: the stored count could never reach its target.)
     */
    private static List<String> batches(List<Long> wards, int first, int count) {
        Instant base = Instant.now().minus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
        (first..<(first + count)).collect { r ->
            List<Map> fixes = (0..<BATCH).collect { j ->
                long g = (long) r * BATCH + j
                int i = (int) (g % wards.size())
                long second = g.intdiv(wards.size())
                [subjectId: wards[i], time: base.plusSeconds(second).toString(),
                 lon: 108.0 + 0.01 * i + (second % 7) * 1e-5, lat: 30.0, accuracy: 5]
            }
            JsonOutput.toJson(fixes)
        }
    }

    private long stored(List<Long> wards) {
        db.createStatement().withCloseable { st ->
            def rs = st.executeQuery("SELECT count(*) FROM sighting WHERE subject_id IN (${wards.join(',')})")
            rs.next()
            rs.getLong(1)
        }
    }
}
