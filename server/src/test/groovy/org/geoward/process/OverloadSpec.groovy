package org.geoward.process

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.Callable
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.SynchronousQueue
import java.util.concurrent.ThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import org.geoward.process.IngestLedger.Answer
import org.geoward.process.IngestLedger.Batch
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

/**
 * Overload: the rate {@code POST /api/sightings} sustains on this machine is measured for 5 s, after 5 s of warm-up,
 * with sixteen senders that wait for each answer (enough to keep it busy); then batches are offered at three times that rate for 15 s, each on its own connection
 * without waiting for the others (at most {@link #MAX_IN_FLIGHT} at once). A server with a bounded ingest queue sheds
 * the excess with 503 or 429 and Retry-After, keeps its heap within -Xmx256m, keeps answering reads and health
 * checks, and loses nothing it acknowledged.
 */
class OverloadSpec extends Specification {
    static final String PASSWORD = "overload-pw"
    static final int WARDS = 64
    static final int BATCH = 100
    static final int MAX_IN_FLIGHT = 400
    static final long MEASURE_MILLIS = 5_000
    static final int MEASURING_SENDERS = 16
    static final long OVERLOAD_MILLIS = 15_000
    /** The most batches the overload offers, whatever the measured rate: 1,000,000 fixes. */
    static final int MAX_BATCHES = 10_000
    /** How long a read of the alerts may take while the server is overloaded: "a few seconds". */
    static final long READ_LIMIT_MILLIS = 5_000

    @Shared
    @AutoCleanup
    ServerProcess server = new ServerProcess("geoward-overload", ["-Xmx256m", "-XX:+ExitOnOutOfMemoryError"])

    @Shared
    @AutoCleanup("shutdownNow")
    ExecutorService threads = Executors.newFixedThreadPool(2)

    /** The next fix number of each ward: fixes of one ward are 200 ms apart in event time, from six hours ago. */
    final Map<Long, AtomicInteger> counters = [:]
    final Instant base = Instant.now().minus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)

    /** A probe taken every 2 s: GET /api/alerts and GET /health, their status and time, the server's resident memory. */
    static class Probe {
        int alerts
        long alertsMillis
        int health
        long healthMillis
        long rssKb

        @Override
        String toString() { "alerts $alerts in $alertsMillis ms, health $health in $healthMillis ms, rss ${rssKb >> 10} MB" }
    }

    def "at three times the sustainable rate the server sheds load with Retry-After and stays up, losing nothing acked"() {
        given: 'a server limited to 256 MB of heap, with wards to post for'
        server.start([GEOWARD_ADMIN_PASSWORD: PASSWORD])
        String token = server.token("admin", PASSWORD)
        List<Long> wards = (1..WARDS).collect {
            server.create("/api/subjects", [kind: "WARD", name: "ward $it", offlineMinutes: 100_000, consent: [by: "guardian", textVersion: "test"]], token).id as long
        }
        wards.each { counters[it] = new AtomicInteger() }
        def ledger = new IngestLedger()

        and: 'the sustainable rate, measured after a warm-up with sixteen senders that wait for their answers'
        measure(new IngestLedger(), token, wards)  // warm-up: a cold JVM sustains a fraction of a warm one
        double sustainable = measure(ledger, token, wards)
        double offered = 3 * sustainable
        int batches = Math.min(MAX_BATCHES, Math.ceil(offered * OVERLOAD_MILLIS / 1000 / BATCH) as int)
        println "sustainable: ${sustainable as int} fixes/s; offering ${offered as int} fixes/s:" +
                " $batches batches of $BATCH in ${OVERLOAD_MILLIS / 1000} s"
        List<Batch> plan = (0..<batches).collect { batch(wards[it % WARDS]) }  // built before, not while offering
        def overload = new IngestLedger()
        def probes = new ConcurrentLinkedQueue<Probe>()
        def probing = new AtomicBoolean(true)
        def prober = threads.submit({ probe(token, probes, probing) } as Callable)

        when: 'batches are offered at three times that rate, each without waiting for the others'
        def pool = new ThreadPoolExecutor(0, MAX_IN_FLIGHT, 10, TimeUnit.SECONDS, new SynchronousQueue<Runnable>())
        int notOffered = 0
        long start = System.currentTimeMillis()
        for (int i = 0; i < batches; i++) {
            long due = start + (long) (i * 1000d * BATCH / offered)
            long wait = due - System.currentTimeMillis()
            if (wait > 0) {
                Thread.sleep(wait)
            }
            Batch batch = plan[i]
            try {
                pool.execute { overload.post(server, token, batch, Duration.ofSeconds(30)) }
            } catch (RejectedExecutionException ignored) {
                notOffered++
            }
        }
        long offeredFor = System.currentTimeMillis() - start
        double offeredRate = (batches - notOffered) * BATCH * 1000d / offeredFor
        pool.shutdown()
        boolean drained = pool.awaitTermination(60, TimeUnit.SECONDS)
        probing.set(false)
        prober.get(30, TimeUnit.SECONDS)
        int healthAfter = ServerProcess.waitFor(30) { server.health() == 200 } ? 200 : server.health()

        List<Answer> answers = overload.answers.toList()
        List<Answer> shed = answers.findAll { it.shedding }
        List<String> shedWithoutRetryAfter = shed.findAll { it.retryAfter == null }*.toString().unique()
        List<String> serverErrors = answers.findAll { it.status >= 500 && it.status != 503 }*.toString().unique()
        List<Probe> allProbes = probes.toList()
        List<String> slowReads = allProbes.findAll { it.alerts != 200 || it.alertsMillis > READ_LIMIT_MILLIS }*.toString()
        List<String> badHealth = allProbes.findAll { it.health != 200 }*.toString()
        List<String> lost = overload.missingFrom(server) + ledger.missingFrom(server)
        println "offered ${offeredRate as int} fixes/s (${offeredFor} ms);" +
                " not offered (client at $MAX_IN_FLIGHT in flight): $notOffered; answers: ${overload.tally()}; peak rss: ${(allProbes*.rssKb.max() ?: 0) >> 10} MB"
        println "answer times (ms) p50/p90/p99/max: ${percentiles(answers*.millis)}"
        println "probes: $allProbes"

        then: 'the load was an overload: offered at twice the sustainable rate or more, or the client at its cap'
        offeredRate >= 2 * sustainable || notOffered > 0

        and: 'some senders were told to come back later, each such answer says when, none was a 500; the server' +
                ' stayed up within its heap, kept answering reads and health checks, and lost nothing it acknowledged'
        verifyAll {
            shed.size() > 0
            shedWithoutRetryAfter.take(10) == []
            serverErrors.take(10) == []
            server.alive
            drained
            allProbes.size() >= 3
            slowReads.take(10) == []
            badHealth.take(10) == []
            healthAfter == 200
            lost.take(20) == []
        }
    }

    /**
     * Fixes per second acknowledged by {@link #MEASURING_SENDERS} senders that each wait for their answer, over
     * {@link #MEASURE_MILLIS}: enough of them to keep the server busy, so this is what it sustains.
     */
    private double measure(IngestLedger ledger, String token, List<Long> wards) {
        def senders = Executors.newFixedThreadPool(MEASURING_SENDERS)
        long until = System.currentTimeMillis() + MEASURE_MILLIS
        long start = System.currentTimeMillis()
        (0..<MEASURING_SENDERS).collect { s ->
            senders.submit({
                for (int i = s; System.currentTimeMillis() < until; i += MEASURING_SENDERS) {
                    ledger.post(server, token, batch(wards[i % WARDS]), Duration.ofSeconds(30))
                }
            } as Callable)
        }*.get(60, TimeUnit.SECONDS)
        senders.shutdown()
        ledger.ackedFixes * 1000d / (System.currentTimeMillis() - start)
    }

    /** The next {@link #BATCH} fixes of {@code ward}, walking east from Fuling. */
    private Batch batch(long ward) {
        int first = counters[ward].getAndAdd(BATCH)
        new Batch((first..<first + BATCH).collect { n ->
            [subjectId: ward, time: base.plusMillis(200L * n).toString(), lon: 107.39 + (n % 1000) * 1e-5, lat: 29.70,
             accuracy: 5]
        })
    }

    /** Every 2 s until told to stop: GET /api/alerts (5 s limit), GET /health (10 s limit), the server's VmRSS. */
    private void probe(String token, Queue<Probe> probes, AtomicBoolean probing) {
        while (probing.get()) {
            def probe = new Probe()
            long t0 = System.currentTimeMillis()
            probe.alerts = status { server.send("GET", "/api/alerts", null, token, Duration.ofMillis(READ_LIMIT_MILLIS)) }
            long t1 = System.currentTimeMillis()
            probe.health = status { server.send("GET", "/health", null, null, Duration.ofSeconds(10)) }
            long t2 = System.currentTimeMillis()
            probe.alertsMillis = t1 - t0
            probe.healthMillis = t2 - t1
            probe.rssKb = residentKb()
            probes << probe
            Thread.sleep(Math.max(0, 2_000 - (t2 - t0)))
        }
    }

    private static List<Long> percentiles(List<Long> values) {
        List<Long> sorted = values.sort(false)
        sorted ? [0.5, 0.9, 0.99, 1.0].collect { sorted[Math.min(sorted.size() - 1, (int) (it * sorted.size()))] } : []
    }

    private static int status(Closure request) {
        try {
            request().statusCode()
        } catch (IOException ignored) {
            -1
        }
    }

    /** The server JVM's resident set from /proc, in kB; 0 when it is gone. */
    private long residentKb() {
        Path status = Path.of("/proc/${server.process.pid()}/status")
        try {
            String line = Files.readAllLines(status).find { it.startsWith("VmRSS:") }
            line ? line.replaceAll(/\D/, "") as long : 0
        } catch (IOException ignored) {
            0
        }
    }
}
