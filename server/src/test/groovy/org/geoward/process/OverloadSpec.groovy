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
import java.net.URLEncoder
import java.net.http.HttpRequest
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ConcurrentSkipListSet
import java.util.concurrent.Semaphore
import org.geoward.device.gt06.Gt06Acks
import org.geoward.process.IngestLedger.Answer
import org.geoward.process.IngestLedger.Batch
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

/**
 * Overload: the rate {@code POST /api/sightings} sustains on this machine is measured for 5 s, after 5 s of warm-up,
 * with sixteen senders that wait for each answer (enough to keep it busy); then batches are offered at three times that rate for 10 s, each on its own connection
 * without waiting for the others (at most {@link #MAX_IN_FLIGHT} at once). A server with a bounded ingest queue sheds
 * the excess with 503 or 429 and Retry-After, keeps its heap within -Xmx256m, keeps answering reads and health
 * checks, and loses nothing it acknowledged. The same server then takes the other doors the same way: the OwnTracks
 * and OsmAnd HTTP doors (one fix a request, 429/503 with Retry-After) and the GT06 TCP door (no acknowledgement for a position it
 * sheds, so the watch sends it again), with its threads counted as well as its memory.
 */
class OverloadSpec extends Specification {
    static final String PASSWORD = "overload-pw"
    static final int WARDS = 64
    static final int BATCH = 100
    static final int MAX_IN_FLIGHT = 400
    static final long MEASURE_MILLIS = 5_000
    static final int MEASURING_SENDERS = 16
    static final long OVERLOAD_MILLIS = 10_000
    /** The most batches the overload offers, whatever the measured rate: 1,000,000 fixes. */
    static final int MAX_BATCHES = 10_000
    /** How long a read of the alerts may take while the server is overloaded: "a few seconds". */
    static final long READ_LIMIT_MILLIS = 5_000
    /** GT06 positions waiting to be stored, over all connections, before the door sheds (default 10,000). */
    static final int GT06_MAX_QUEUED = 256
    static final int GT06_WATCHES = 32
    /** Positions a GT06 watch sends before it waits for an acknowledgement, when it keeps to the rate it is given. */
    static final int GT06_WINDOW = 6
    /** Threads the server may add under an overload over what it had idle: far fewer than the requests offered. */
    static final int MAX_EXTRA_THREADS = 200

    @Shared
    @AutoCleanup
    ServerProcess server = new ServerProcess("geoward-overload", ["-Xmx256m", "-XX:+ExitOnOutOfMemoryError"])

    @Shared
    @AutoCleanup("shutdownNow")
    ExecutorService threads = Executors.newFixedThreadPool(2)

    @Shared int gt06Port = ServerProcess.freePort()
    @Shared int osmandPort = ServerProcess.freePort()
    @Shared String token
    @Shared int idleThreads

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
        int threads

        @Override
        String toString() { "alerts $alerts in $alertsMillis ms, health $health in $healthMillis ms, rss ${rssKb >> 10} MB, $threads threads" }
    }

    def setupSpec() {
        server.start([GEOWARD_ADMIN_PASSWORD: PASSWORD, GEOWARD_GT06_PORT: gt06Port as String, GEOWARD_OSMAND_PORT: osmandPort as String,
                      GEOWARD_GT06_MAX_QUEUED: GT06_MAX_QUEUED as String])
        token = server.token("admin", PASSWORD)
        idleThreads = threadCount()
    }

    def "#door HTTP at three times its sustainable rate: told to come back later with Retry-After, nothing answered 200 lost"() {
        given: 'sixty-four phones, each registered for its ward with its own credentials'
        List<Map> phones = (1..WARDS).collect { n ->
            long ward = server.create("/api/subjects", [kind: "WARD", name: "$door ward $n", offlineMinutes: 100_000,
                                                        consent: [by: "guardian", textVersion: "test"]], token).id as long
            Map device = server.create("/api/devices", [uniqueId: "overload-$door-$n-${UUID.randomUUID()}".toString(),
                                                        protocol: door, subjectId: ward], token)
            [door: door, ward: ward, uniqueId: device.uniqueId, token: device.token,
             basic: "${device.uniqueId}:${device.token}".bytes.encodeBase64().toString(), next: new AtomicInteger()]
        }
        def ledger = new IngestLedger()

        and: 'the rate it sustains, measured first on this server (the other features leave it busy evaluating), after a' +
                ' warm-up (one fix of every phone first: its first request pays a bcrypt check of its credentials, 64 of' +
                ' them take seconds on a busy machine), with sixteen senders that wait for their answers'
        firstFixOfEach(phones)
        measurePhones(new IngestLedger(), phones, 3_000)
        double sustainable = measurePhones(ledger, phones, MEASURE_MILLIS)
        double offered = 3 * sustainable
        int requests = Math.min(MAX_BATCHES * 10, Math.ceil(offered * OVERLOAD_SECONDS_PHONES) as int)
        println "$door sustainable: ${sustainable as int} fixes/s (answers ${ledger.tally()}, e.g. ${ledger.answers.find { it.status != 200 }});" +
                " offering ${offered as int}/s: $requests requests"
        def overload = new IngestLedger()

        when: 'single fixes are offered at three times that rate, each without waiting for the others'
        def pool = new ThreadPoolExecutor(0, MAX_IN_FLIGHT, 10, TimeUnit.SECONDS, new SynchronousQueue<Runnable>())
        int notOffered = 0
        int peakThreads = 0
        long start = System.currentTimeMillis()
        for (int i = 0; i < requests; i++) {
            long wait = start + (long) (i * 1000d / offered) - System.currentTimeMillis()
            if (wait > 0) {
                Thread.sleep(wait)
            }
            if (i % 500 == 0) {
                peakThreads = Math.max(peakThreads, threadCount())
            }
            Map phone = phones[i % WARDS]
            try {
                pool.execute { post(overload, phone) }
            } catch (RejectedExecutionException ignored) {
                notOffered++
            }
        }
        long offeredFor = System.currentTimeMillis() - start
        double offeredRate = (requests - notOffered) * 1000d / offeredFor
        pool.shutdown()
        boolean drained = pool.awaitTermination(60, TimeUnit.SECONDS)
        peakThreads = Math.max(peakThreads, threadCount())

        List<Answer> answers = overload.answers.toList()
        List<Answer> shed = answers.findAll { it.shedding }
        List<String> shedWithoutRetryAfter = shed.findAll { it.retryAfter == null }*.toString().unique()
        List<String> unexpected = answers.findAll { !(it.status in [200, 429, 503]) }*.toString().unique()
        List<String> lost = overload.missingFrom(server) + ledger.missingFrom(server)
        println "$door offered ${offeredRate as int} fixes/s; not offered (client at $MAX_IN_FLIGHT): $notOffered;" +
                " answers: ${overload.tally()}; threads idle $idleThreads, peak $peakThreads;" +
                " answer times (ms) p50/p90/p99/max: ${percentiles(answers*.millis)}"

        then: 'it was an overload'
        offeredRate >= 2 * sustainable || notOffered > 0

        and: 'phones were told to come back later, each answer said when; nothing else but 200; nothing answered 200 lost'
        verifyAll {
            shed.size() > 0
            shedWithoutRetryAfter.take(10) == []
            unexpected.take(10) == []
            server.alive
            drained
            peakThreads <= idleThreads + MAX_EXTRA_THREADS
            lost.take(20) == []
        }

        where:
        door << ["OWNTRACKS", "OSMAND"]
    }

    def "at three times the sustainable rate the server sheds load with Retry-After and stays up, losing nothing acked"() {
        given: 'a server limited to 256 MB of heap, with wards to post for'
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

    def "GT06 at three times its sustainable rate: a position shed gets no acknowledgement, the watch sends it again, nothing acknowledged lost"() {
        given: 'thirty-two GT06 watches, each registered for its ward and logged in on its own connection'
        long featureFrom = System.currentTimeMillis()
        List<Watch> watches = (1..GT06_WATCHES).collect { n ->
            long ward = server.create("/api/subjects", [kind: "WARD", name: "gt06 ward $n", offlineMinutes: 100_000,
                                                        consent: [by: "guardian", textVersion: "test"]], token).id as long
            String imei = "86" + String.format("%013d", Math.abs(UUID.randomUUID().mostSignificantBits) % 10_000_000_000_000L)
            server.create("/api/devices", [uniqueId: imei, protocol: "GT06", subjectId: ward], token)
            new Watch(ward, imei, gt06Port, base)
        }

        and: 'the rate the door sustains with each watch keeping at most six positions unacknowledged'
        double sustainable = measureGt06(watches, MEASURE_MILLIS)
        double offered = 3 * sustainable
        int perWatch = Math.ceil(offered * OVERLOAD_SECONDS_GT06 / GT06_WATCHES) as int
        println "GT06 sustainable: ${sustainable as int} positions/s; offering ${offered as int}/s: $perWatch per watch"

        when: 'every watch sends its share of three times that rate without waiting for acknowledgements'
        long start = System.currentTimeMillis()
        List futures = watches.collect { w ->
            threadsFor(watches).submit({
                for (int i = 0; i < perWatch; i++) {
                    long wait = start + (long) (i * 1000d * GT06_WATCHES / offered) - System.currentTimeMillis()
                    if (wait > 0) {
                        Thread.sleep(wait)
                    }
                    w.send(w.nextPosition())
                }
            } as Callable)
        }
        int peakThreads = 0
        while (!futures.every { it.done }) {
            peakThreads = Math.max(peakThreads, threadCount())
            Thread.sleep(500)
        }
        futures*.get()
        long offeredFor = System.currentTimeMillis() - start
        int sent = watches.sum { it.sent.get() } as int
        ServerProcess.waitFor(30) { watches.every { it.quietFor(2_000) } }
        int unacked = watches.sum { it.unacknowledged().size() } as int

        and: 'each watch sends what was not acknowledged again, as a GT06 watch does, until all of it is'
        int sentBefore = watches.sum { it.sent.get() } as int
        long resendFrom = System.currentTimeMillis()
        watches.each { it.latencies.clear() }
        long deadline = resendFrom + 90_000
        boolean allAcked = watches.collect { w -> threadsFor(watches).submit({ w.resendUnacknowledged(deadline) } as Callable) }
                .every { it.get(120, TimeUnit.SECONDS) }
        long resendMillis = System.currentTimeMillis() - resendFrom
        int resent = (watches.sum { it.sent.get() } as int) - sentBefore
        println "GT06 resending: $resent frames for $unacked positions in $resendMillis ms," +
                " ${watches.sum { it.unacknowledged().size() }} still unacknowledged;" +
                " ack latency (ms) p50/p90/p99/max: ${percentiles(watches.collectMany { it.latencies })};" +
                " the feature took ${System.currentTimeMillis() - featureFrom} ms"
        peakThreads = Math.max(peakThreads, threadCount())
        Set<String> stored = stored(watches*.ward)
        List<String> lost = watches.collectMany { it.ackedKeys() }.findAll { !stored.contains(it) }.sort()
        println "GT06 offered ${(sent * 1000d / offeredFor) as int} positions/s; sent $sent, not acknowledged at first: $unacked;" +
                " threads idle $idleThreads, peak $peakThreads"

        then: 'positions were shed without an acknowledgement; sent again they were all acknowledged and stored'
        verifyAll {
            unacked > 0
            allAcked
            watches.every { it.open }
            server.alive
            server.health() == 200
            peakThreads <= idleThreads + MAX_EXTRA_THREADS
            lost.take(20) == []
        }

        cleanup:
        watches*.close()
    }

    static final long OVERLOAD_SECONDS_PHONES = 7
    static final long OVERLOAD_SECONDS_GT06 = 6
    /** How long a resending watch waits for the acknowledgement of a position before it sends it again. */
    static final long RESEND_AFTER_MILLIS = 2_000

    /** The fixes per second answered 200 to {@link #MEASURING_SENDERS} senders that each wait for their answer. */
    /** One fix of every phone, sixteen at a time, each waited for: the server then knows every phone's credentials. */
    private void firstFixOfEach(List<Map> phones) {
        def senders = Executors.newFixedThreadPool(MEASURING_SENDERS)
        def ledger = new IngestLedger()
        phones.collect { phone -> senders.submit({ post(ledger, phone) } as Callable) }*.get(120, TimeUnit.SECONDS)
        senders.shutdown()
        assert ledger.ackedFixes == phones.size(): "the first fix of every phone: ${ledger.tally()}"
    }

    private double measurePhones(IngestLedger ledger, List<Map> phones, long millis) {
        def senders = Executors.newFixedThreadPool(MEASURING_SENDERS)
        long start = System.currentTimeMillis()
        long until = start + millis
        (0..<MEASURING_SENDERS).collect { s ->
            senders.submit({
                for (int i = s; System.currentTimeMillis() < until; i += MEASURING_SENDERS) {
                    post(ledger, phones[i % phones.size()])
                }
            } as Callable)
        }*.get(60, TimeUnit.SECONDS)
        senders.shutdown()
        ledger.ackedFixes * 1000d / (System.currentTimeMillis() - start)
    }

    /** One fix of {@code phone}, one second after its last, to its door: OwnTracks JSON with Basic credentials, or OsmAnd's query string with its token. */
    private void post(IngestLedger ledger, Map phone) {
        if (phone.door == "OSMAND") {
            postOsmAnd(ledger, phone)
        } else {
            postOwnTracks(ledger, phone)
        }
    }

    private void postOsmAnd(IngestLedger ledger, Map phone) {
        Instant time = base.plusSeconds((phone.next as AtomicInteger).getAndIncrement())
        String query = "id=${phone.uniqueId}&lat=29.70&lon=${107.39 + (time.epochSecond % 1000) * 1e-5}" +
                "&timestamp=${time.toEpochMilli()}&accuracy=5&token=${URLEncoder.encode(phone.token as String, 'UTF-8')}"
        def request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:${osmandPort}/?$query"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build()
        ledger.send(server.http, request, 200, [IngestLedger.key(phone.ward as long, time)])
    }

    private void postOwnTracks(IngestLedger ledger, Map phone) {
        Instant time = base.plusSeconds((phone.next as AtomicInteger).getAndIncrement())
        String body = """{"_type":"location","lat":29.70,"lon":${107.39 + (time.epochSecond % 1000) * 1e-5},"tst":${time.epochSecond},"acc":5,"tid":"ov"}"""
        def request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:${server.port}/ingest/owntracks"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic ${phone.basic}")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build()
        ledger.send(server.http, request, 200, [IngestLedger.key(phone.ward as long, time)])
    }

    /** Positions per second acknowledged while every watch keeps {@link #GT06_WINDOW} unacknowledged at most. */
    private double measureGt06(List<Watch> watches, long millis) {
        long start = System.currentTimeMillis()
        long until = start + millis
        int before = watches.sum { it.acked.size() } as int
        watches.collect { w ->
            threadsFor(watches).submit({
                while (System.currentTimeMillis() < until) {
                    if (!w.window.tryAcquire(1, TimeUnit.SECONDS)) {
                        continue
                    }
                    w.send(w.nextPosition())
                }
            } as Callable)
        }*.get(60, TimeUnit.SECONDS)
        ((watches.sum { it.acked.size() } as int) - before) * 1000d / (System.currentTimeMillis() - start)
    }

    @Shared ExecutorService watchThreads

    private ExecutorService threadsFor(List<Watch> watches) {
        watchThreads = watchThreads ?: Executors.newFixedThreadPool(watches.size())
    }

    def cleanupSpec() {
        watchThreads?.shutdownNow()
    }

    /** The keys of the fixes of {@code wards} in {@code sighting}, as {@link IngestLedger#key}. */
    private Set<String> stored(List<Long> wards) {
        server.rows("SELECT subject_id, time FROM sighting WHERE subject_id = ANY (?)", [wards as Long[]] as Object[]).collect {
            IngestLedger.key(it[0] as long, (it[1] as java.sql.Timestamp).toInstant())
        } as Set
    }

    /**
     * A GT06 watch on its own connection: logged in, it sends location frames (0x12), one second apart in GPS time,
     * and a reader thread notes each acknowledgement by its serial. A position sent again goes under a new serial.
     */
    static class Watch implements Closeable {
        final long ward
        final Socket socket
        final Instant base
        final Semaphore window = new Semaphore(GT06_WINDOW)
        final AtomicInteger sent = new AtomicInteger()
        final AtomicInteger nextSecond = new AtomicInteger()
        final AtomicInteger nextSerial = new AtomicInteger(2)
        /** Serial → the position's GPS time, for every frame sent and not yet acknowledged. */
        final Map<Integer, Instant> pending = new ConcurrentHashMap<>()
        /** The GPS times acknowledged. */
        final Set<Instant> acked = ConcurrentHashMap.newKeySet()
        /** The GPS times sent and not acknowledged, oldest first, and when each was last sent (epoch ms). */
        final NavigableSet<Instant> waiting = new ConcurrentSkipListSet<>()
        final Map<Instant, Long> lastSent = new ConcurrentHashMap<>()
        /** Released by the reader at each acknowledgement: a resending watch waits on it for room in its window. */
        final Semaphore ackArrived = new Semaphore(0)
        /** Serial → when its frame was sent (epoch ms), and how long each acknowledgement took. */
        final Map<Integer, Long> sentAt = new ConcurrentHashMap<>()
        final Queue<Long> latencies = new ConcurrentLinkedQueue<>()
        volatile long lastAckAt = System.currentTimeMillis()
        final Thread reader

        Watch(long ward, String imei, int port, Instant base) {
            this.ward = ward
            this.base = base
            socket = new Socket("127.0.0.1", port)
            socket.soTimeout = 0
            socket.outputStream.write(Gt06Acks.frame(false, 0x01, HexFormat.of().parseHex("0" + imei), 1))
            socket.outputStream.flush()
            byte[] loginAck = socket.inputStream.readNBytes(10)
            assert loginAck.length == 10 && loginAck[3] == (byte) 0x01: "watch $imei was not logged in"
            reader = Thread.start("gt06-watch-$ward") {
                try {
                    while (true) {
                        byte[] ack = socket.inputStream.readNBytes(10)
                        if (ack.length < 10) {
                            return
                        }
                        int serial = ((ack[4] & 0xff) << 8) | (ack[5] & 0xff)
                        Instant time = pending.remove(serial)
                        Long at = sentAt.remove(serial)
                        if (at != null) {
                            latencies << System.currentTimeMillis() - at
                        }
                        if (time != null) {
                            acked << time
                            waiting.remove(time)
                            window.release()
                            ackArrived.release()
                        }
                        lastAckAt = System.currentTimeMillis()
                    }
                } catch (IOException ignored) {
                    // closed
                }
            }
        }

        Instant nextPosition() {
            base.plusSeconds(nextSecond.getAndIncrement())
        }

        synchronized void send(Instant time) {
            int serial = nextSerial.getAndIncrement() & 0xffff
            pending[serial] = time
            sentAt[serial] = System.currentTimeMillis()
            lastSent[time] = System.currentTimeMillis()
            waiting.add(time)
            socket.outputStream.write(locationFrame(time, serial))
            socket.outputStream.flush()
            sent.incrementAndGet()
        }

        /** The positions sent and never acknowledged, each once, oldest first. */
        List<Instant> unacknowledged() {
            waiting.toList()
        }

        /**
         * Sends the positions not acknowledged again, oldest first, as a GT06 watch does: at most
         * {@link #GT06_WINDOW} in flight, the next as soon as an acknowledgement makes room, and one in flight for
         * {@link #RESEND_AFTER_MILLIS} without an acknowledgement (it was shed) is due again. True once every
         * position is acknowledged, false at {@code deadline} (epoch ms).
         *
         * <p>Before, the spec resent the six oldest of every watch every 450 ms or so whatever the acknowledgements
         * said: at most ~400 positions a second over 32 watches while acks came within 12 ms (p50), so the wait grew
         * with the backlog (22,510 positions took 61.5 s in a run on a throttled server; a backlog past ~37,000, or a
         * slower test JVM, ran out of the 90 s, as in the full suite of 2026-12-07), not with the server's speed.
         */
        boolean resendUnacknowledged(long deadline) {
            while (!waiting.isEmpty()) {
                long now = System.currentTimeMillis()
                if (now > deadline) {
                    return false
                }
                int inFlight = 0
                for (Instant time : waiting) {
                    if (inFlight >= GT06_WINDOW) {
                        break
                    }
                    Long at = lastSent[time]
                    if (at == null || now - at >= RESEND_AFTER_MILLIS) {
                        send(time)
                    }
                    inFlight++
                }
                ackArrived.tryAcquire(50, TimeUnit.MILLISECONDS)
                ackArrived.drainPermits()
            }
            true
        }

        List<String> ackedKeys() {
            acked.collect { IngestLedger.key(ward, it) }
        }

        boolean quietFor(long millis) {
            System.currentTimeMillis() - lastAckAt >= millis
        }

        boolean isOpen() {
            !socket.closed && reader.alive
        }

        void close() {
            socket.close()
        }

        private static byte[] locationFrame(Instant time, int serial) {
            def t = time.atOffset(java.time.ZoneOffset.UTC)
            def out = new ByteArrayOutputStream()
            [t.year - 2000, t.monthValue, t.dayOfMonth, t.hour, t.minute, t.second, 0xC9].each { out.write(it) }
            def data = new DataOutputStream(out)
            data.writeInt(Math.round(29.70 * 1_800_000) as int)
            data.writeInt(Math.round((107.39 + (time.epochSecond % 1000) * 1e-5) * 1_800_000) as int)
            data.writeByte(0)
            data.writeShort(0x1000 | 0x0400)
            out.write(HexFormat.of().parseHex("01cc00287d001fb8"))  // LBS: MCC 460, MNC 0, LAC, cell id
            Gt06Acks.frame(false, 0x12, out.toByteArray(), serial)
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
            probe.threads = threadCount()
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

    /** The server JVM's threads from /proc; 0 when it is gone. */
    private int threadCount() {
        Path status = Path.of("/proc/${server.process.pid()}/status")
        try {
            String line = Files.readAllLines(status).find { it.startsWith("Threads:") }
            line ? line.replaceAll(/\D/, "") as int : 0
        } catch (IOException ignored) {
            0
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
