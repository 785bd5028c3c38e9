package org.geoward.process

import groovy.json.JsonOutput
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.Callable
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import spock.lang.AutoCleanup
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification

/**
 * Fixes per second and CPU per fix: the single node (no Kafka), one cluster node, two cluster nodes, on one broker and
 * one PostGIS. 200 wards, each in its own safe zone, send {@code GEOWARD_BENCH_FIXES} fixes (default 60,000) in
 * batches of 500 from 4 senders, round robin over the nodes; a run ends when every fix is in {@code sighting}. CPU
 * is each node JVM's own (ProcessHandle), so it shows what a node costs per fix even where two cores shared with the
 * broker, PostgreSQL and the senders cannot show a second node's throughput. Not in the suite:
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

    List<ServerProcess> nodes = []

    def setupSpec() {
        broker.start()
        database.start([GEOWARD_ADMIN_PASSWORD: PASSWORD, GEOWARD_JWT_SECRET: JWT_SECRET])
        database.kill()
        String password = new File(database.pgRoot.toFile(), "password").text.trim()
        dbEnv = [GEOWARD_DB_URL     : "jdbc:postgresql://127.0.0.1:${database.databasePort()}/geoward".toString(),
                 GEOWARD_DB_USER    : "postgres", GEOWARD_DB_PASSWORD: password,
                 GEOWARD_ADMIN_PASSWORD: PASSWORD, GEOWARD_JWT_SECRET: JWT_SECRET]
    }

    def cleanupSpec() {
        println "ClusterBenchmarkSpec ($FIXES fixes, batches of $BATCH from $SENDERS senders, ${Runtime.runtime.availableProcessors()} cores):"
        results.each { println "  $it" }
    }

    def cleanup() {
        nodes.each { it.close() }
    }

    def "#label: fixes per second and CPU per fix"() {
        given:
        (1..count).each { i ->
            def n = new ServerProcess("geoward-bench-$i", JVM)
            nodes << n
            Map<String, String> env = new HashMap<>(dbEnv)
            if (kafka) {
                env += [GEOWARD_KAFKA_BOOTSTRAP: broker.bootstrap, GEOWARD_KAFKA_TOPIC: topic(label),
                        GEOWARD_KAFKA_GROUP    : topic(label), GEOWARD_NODE_ID: "n$i".toString()]
            }
            n.start(env)
        }
        if (kafka) {
            assert ServerProcess.waitFor(90) { owners(topic(label)) == count }
        }
        String token = nodes[0].token("admin", PASSWORD)
        List<Long> wards = scene(token, label)
        List<String> batches = batches(wards)
        // warm-up: one batch per node
        nodes.each { n -> assert n.post("/api/sightings", batches[0], token).statusCode() == 202 }
        long base = stored(wards)
        Map<ServerProcess, Duration> cpuBefore = nodes.collectEntries { [it, cpu(it)] }

        when:
        long began = System.nanoTime()
        def next = new AtomicInteger(1)
        def turn = new AtomicInteger()
        (0..<SENDERS).collect {
            threads.submit({
                int b
                while ((b = next.getAndIncrement()) < batches.size()) {
                    while (true) {
                        def n = nodes[turn.getAndIncrement() % nodes.size()]
                        if (n.post("/api/sightings", batches[b], token, Duration.ofSeconds(60)).statusCode() == 202) {
                            break
                        }
                        Thread.sleep(100)
                    }
                }
            } as Callable)
        }*.get(600, TimeUnit.SECONDS)
        long acked = System.nanoTime()
        boolean all = ServerProcess.waitFor(300) { stored(wards) - base >= (batches.size() - 1) * BATCH }
        long done = System.nanoTime()
        int fixes = (batches.size() - 1) * BATCH
        List<Double> cpuPerFix = nodes.collect { n -> (cpu(n) - cpuBefore[n]).toNanos() / 1000.0 / fixes }
        String line = String.format("%-22s %7.0f fixes/s acknowledged, %7.0f fixes/s stored; CPU per fix per node %s µs" +
                " (sum %.0f µs)", label, fixes / ((acked - began) / 1e9), fixes / ((done - began) / 1e9),
                cpuPerFix.collect { String.format("%.0f", it) }, cpuPerFix.sum())
        results << line
        println line

        then:
        all

        where:
        label             | count | kafka
        "single node"     | 1     | false
        "cluster, 1 node" | 1     | true
        "cluster, 2 nodes"| 2     | true
    }

    /** A topic name of the label (Kafka allows letters, digits, '.', '_' and '-'). */
    private static String topic(String label) {
        "bench-" + label.replaceAll(/[^A-Za-z0-9]+/, "-")
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

    /** Batch 0 is the warm-up; each batch holds the next fixes of every ward, 1 s apart, inside the safe zones. */
    private static List<String> batches(List<Long> wards) {
        Instant base = Instant.now().minus(50, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)
        int perWard = BATCH.intdiv(wards.size())
        int rounds = FIXES.intdiv(BATCH) + 1
        (0..<rounds).collect { r ->
            List<Map> fixes = []
            wards.eachWithIndex { id, i ->
                (0..<perWard).each { k ->
                    fixes << [subjectId: id, time: base.plusMillis(1000L * (r * perWard + k)).toString(),
                              lon: 108.0 + 0.01 * i + (k % 7) * 1e-5, lat: 30.0, accuracy: 5]
                }
            }
            JsonOutput.toJson(fixes)
        }
    }

    private long stored(List<Long> wards) {
        database.rows("SELECT count(*) FROM sighting WHERE subject_id IN (${wards.join(',')})")[0][0] as long
    }
}
