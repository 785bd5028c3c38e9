package org.geoward.cluster

import groovy.json.JsonSlurper
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.sql.Connection
import java.sql.Timestamp
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.CopyOnWriteArrayList
import org.geoward.partition.PartitionedEvaluation
import org.geoward.device.DeviceEndToEndSpec
import org.geoward.device.DeviceWorld
import org.geoward.process.ClusterBackbone
import org.geoward.process.KafkaBroker
import org.geoward.process.ServerProcess
import spock.lang.Shared
import spock.lang.Specification

/**
 * Running a cluster, against the real parts (a KRaft broker from Maven Central's jars, node JVMs, one PostGIS): the
 * readiness probe follows the broker, {@code /metrics} shows each partition's consumer lag, and a position evaluated
 * on one node reaches the others (the latest position an SOS without coordinates is placed at; the arrival check and
 * the SSE clients of another node). Broker and database are {@link ClusterBackbone}'s, shared with ClusterSpec. Each
 * feature has its own topic, group and subjects.
 */
class ClusterOperationsSpec extends Specification {
    static final String PASSWORD = ClusterBackbone.ADMIN_PASSWORD
    static final String JWT_SECRET = "cluster-ops-jwt-secret-" + UUID.randomUUID()
    static final String SCRAPE = "cluster-ops-scrape-" + UUID.randomUUID()
    static final List<String> JVM = ["-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]
    static final int PARTITIONS = 12

    @Shared
    KafkaBroker broker

    @Shared
    ServerProcess database

    @Shared
    Map<String, String> dbEnv

    @Shared
    int featureNo = 0

    List<ServerProcess> nodes = []

    def setupSpec() {
        broker = ClusterBackbone.broker()
        database = ClusterBackbone.database()
        dbEnv = ClusterBackbone.databaseEnv()
    }

    def cleanup() {
        nodes.each { it.close() }
    }

    def "every door of a node acknowledges a fix only once Kafka has it: 503 (GT06: no ack) and /ready 503 while the broker is stopped, both 200 again once it is back"() {
        given: 'a node with its OsmAnd and GT06 doors, and a ward with an OsmAnd, an OwnTracks and a GT06 device'
        String topic = "ops-ready-${++featureNo}"
        int osmandPort = ServerProcess.freePort(), gt06Port = ServerProcess.freePort()
        def a = node("a", topic, [GEOWARD_OSMAND_PORT: osmandPort as String, GEOWARD_GT06_PORT: gt06Port as String])
        assert ServerProcess.waitFor(60) { ready(a).status == 200 }
        String token = a.token("admin", PASSWORD)
        long ward = newWard(a, token, "doors")
        Map osmand = [uniqueId: "ops-osmand-${UUID.randomUUID()}".toString()]
        osmand.token = a.create("/api/devices", [uniqueId: osmand.uniqueId, protocol: "OSMAND", subjectId: ward], token).token
        Map owntracks = [uniqueId: "ops-ot-${UUID.randomUUID()}".toString()]
        owntracks.token = a.create("/api/devices", [uniqueId: owntracks.uniqueId, protocol: "OWNTRACKS", subjectId: ward], token).token
        String imei = DeviceWorld.imei()
        a.create("/api/devices", [uniqueId: imei, protocol: "GT06", subjectId: ward], token)
        Instant t0 = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS)
        def httpMillis = new java.util.concurrent.atomic.AtomicLong()
        Closure<Map> doors = { int k -> // one fix through each door, k seconds apart per door, in parallel
            Instant t = t0.plusSeconds(10 * k)
            def calls = [
                    http: {
                        long asked = System.nanoTime()
                        def answer = a.post("/api/sightings", [[subjectId: ward, time: t.toString(), lon: 106.9, lat: 29.9, accuracy: 5]], token, Duration.ofSeconds(30))
                        httpMillis.set((System.nanoTime() - asked).intdiv(1_000_000) as long)
                        answer
                    },
                    osmand: { osmandGet(osmandPort, "id=${osmand.uniqueId}&timestamp=${t.plusSeconds(1).epochSecond}&lat=29.9&lon=106.9&token=${osmand.token}") },
                    owntracks: { ownTracks(a, owntracks, t.plusSeconds(2)) },
                    gt06: { gt06Location(gt06Port, imei, t.plusSeconds(3)) }]
            Map<String, Thread> threads = [:]
            Map answers = [:].asSynchronized()
            calls.each { door, call -> threads[door] = Thread.start { answers[door] = call() } }
            threads.values()*.join(30_000)
            answers
        }

        when: 'the broker runs: one fix through each door'
        Map before = doors(0)

        and: 'the broker stops: one more through each door'
        broker.stop()
        Map during = null
        boolean down = ServerProcess.waitFor(20) { (during = ready(a)).status == 503 }
        Map refused = doors(1)
        long refusedMillis = httpMillis.get()

        and: 'comes back: one more through each door'
        broker.start()
        Map after = null
        boolean up = ServerProcess.waitFor(60) { (after = ready(a)).status == 200 }
        Map again = doors(2)

        then: 'with the broker up, every door acknowledged'
        before.http.statusCode() == 202
        before.osmand.statusCode() == 200
        before.owntracks.statusCode() == 200
        before.gt06 == true

        and: 'with it stopped, no door acknowledged: 503 with Retry-After, and the GT06 location not acknowledged'
        refused.http.statusCode() == 503
        refused.http.headers().firstValue("Retry-After").isPresent()
        refused.osmand.statusCode() == 503
        refused.osmand.headers().firstValue("Retry-After").isPresent()
        refused.owntracks.statusCode() == 503
        refused.gt06 == false

        and: 'the HTTP refusal came within 15 s: the producer\'s delivery timeout (about 7 s), not a client\'s'
        refusedMillis < 15_000

        and: 'meanwhile the probe said what it waits for, within its second'
        down
        during.body.status == "DOWN"
        during.body.waitingFor.any { it.startsWith("kafka: ") }
        during.millis < 2_000

        and: 'once it was back, every door acknowledged again without a restart, and exactly the acknowledged fixes are stored'
        up
        after.body.status == "UP"
        again.http.statusCode() == 202
        again.osmand.statusCode() == 200
        again.owntracks.statusCode() == 200
        again.gt06 == true
        ServerProcess.waitFor(30) { stored(ward) == 8 }
        Thread.sleep(500)
        database.rows("SELECT time FROM sighting WHERE subject_id = ? ORDER BY time", ward).collect { (it[0] as Timestamp).toInstant() } ==
                [0, 2].collectMany { k -> (0..3).collect { t0.plusSeconds(10 * k + it) } }
    }

    def "/metrics shows the fixes a partition has in Kafka but not yet evaluated, and 0 once it caught up"() {
        given: 'one node owning all partitions, and one ward'
        String topic = "ops-lag-${++featureNo}"
        def a = node("a", topic)
        assert ServerProcess.waitFor(60) { owners(topic) == [a: PARTITIONS] }
        String token = a.token("admin", PASSWORD)
        long ward = newWard(a, token, "lag")
        int partition = PartitionedEvaluation.partitionOf(ward, PARTITIONS)
        assert ServerProcess.waitFor(30) { lags(a).values().sum() == 0 && owned(a).values().sum() == PARTITIONS }

        when: 'the sink cannot store (the sighting table is locked), and 30 fixes of the ward are acknowledged'
        Connection lock = database.database()
        lock.autoCommit = false
        lock.createStatement().execute("LOCK TABLE sighting IN SHARE MODE")
        def posted = a.post("/api/sightings", (1..30).collect { k ->
            [subjectId: ward, time: Instant.now().minusSeconds(300 - k).toString(), lon: 106.3, lat: 29.8, accuracy: 5]
        }, token)
        Map<Integer, Long> stalled = null
        boolean seen = ServerProcess.waitFor(30) { (stalled = lags(a))[partition] == 30 }

        and: 'the table is free again'
        lock.rollback()
        lock.close()
        Map<Integer, Long> caughtUp = null
        boolean zero = ServerProcess.waitFor(60) { (caughtUp = lags(a)).values().sum() == 0 }

        then: 'the lag was on the ward\'s partition only, exactly the fixes not yet evaluated'
        posted.statusCode() == 202
        seen
        stalled.findAll { it.key != partition }.values().every { it == 0 }
        stalled.size() == PARTITIONS

        and:
        zero
        stored(ward) == 30
    }

    def "a node that once owned a subject places an SOS at the fix its new owner evaluated, and sees the other node's guardians"() {
        given: 'node a alone, 24 wards with GT06 watches, each with a first fix evaluated on a'
        String topic = "ops-sos-${++featureNo}"
        int gt06 = ServerProcess.freePort()
        def a = node("a", topic, [GEOWARD_GT06_PORT: gt06 as String])
        assert ServerProcess.waitFor(60) { owners(topic) == [a: PARTITIONS] }
        String token = a.token("admin", PASSWORD)
        Map<Long, String> imeis = [:]
        List<Long> wards = (0..<24).collect { i ->
            long id = newWard(a, token, "sos $i")
            imeis[id] = DeviceWorld.imei()
            a.create("/api/devices", [uniqueId: imeis[id], protocol: "GT06", subjectId: id], token)
            id
        }
        def first = { long id -> [lon: 106.5 + 0.001 * wards.indexOf(id), lat: 29.7] }
        assert a.post("/api/sightings", wards.collect { id ->
            [subjectId: id, time: Instant.now().minusSeconds(120).toString(), lon: first(id).lon, lat: first(id).lat, accuracy: 5]
        }, token).statusCode() == 202
        assert ServerProcess.waitFor(30) { wards.every { stored(it) == 1 } }

        and: 'node b joins and takes half of the partitions; one of its wards moves 500 m north, sent to b'
        def b = node("b", topic)
        assert ServerProcess.waitFor(90) { owners(topic) == [a: 6, b: 6] }
        Set<Integer> ofB = partitionsOf(topic, "b")
        long ward = wards.find { PartitionedEvaluation.partitionOf(it, PARTITIONS) in ofB }
        Map moved = [lon: first(ward).lon, lat: first(ward).lat + 500 / 111_195]
        assert b.post("/api/sightings", [[subjectId: ward, time: Instant.now().minusSeconds(60).toString(),
                                          lon: moved.lon, lat: moved.lat, accuracy: 5]], token).statusCode() == 202
        assert ServerProcess.waitFor(30) { stored(ward) == 2 }
        Thread.sleep(1_000) // node a reads the topic outside the group, like the owner: a poll (≤ 200 ms) behind

        when: 'the ward\'s watch logs in to node a and sends SOS in a status frame, which has no position'
        def socket = new Socket("127.0.0.1", gt06)
        socket.soTimeout = 10_000
        socket.outputStream.write(DeviceEndToEndSpec.loginFrame(imeis[ward], 1))
        def loginAck = DeviceEndToEndSpec.readAck(socket)
        socket.outputStream.write(DeviceEndToEndSpec.statusFrame(0x20, 0x00, 2))
        def sosAck = DeviceEndToEndSpec.readAck(socket)

        then: 'it is stored at the position b evaluated, not at the one a saw while it owned the ward'
        loginAck && sosAck
        ServerProcess.waitFor(30) { stored(ward) == 3 }
        def placed = database.rows("SELECT ST_X(pos::geometry), ST_Y(pos::geometry) FROM sighting WHERE subject_id = ? AND sos",
                ward)
        placed.size() == 1
        Math.abs((placed[0][0] as double) - moved.lon) < 1e-7
        Math.abs((placed[0][1] as double) - moved.lat) < 1e-7

        when: 'two wards of node a walk 600 m out of their safe zones: one with its guardian, whose partition b owns'
        Set<Integer> ofA = partitionsOf(topic, "a")
        long guardian = ownedBy(ofB) { a.create("/api/subjects", [kind: "GUARDIAN", name: "ops guardian ${UUID.randomUUID()}"], token).id as long }
        long withGuardian = ownedBy(ofA) { newWard(a, token, "with guardian", [guardian]) }
        long alone = ownedBy(ofA) { newWard(a, token, "alone") }
        Map homeG = [lon: 106.6, lat: 29.6], homeA = [lon: 106.62, lat: 29.6]
        [[withGuardian, homeG], [alone, homeA]].each { id, home ->
            a.create("/api/fences", [type      : "Feature", geometry: [type: "Point", coordinates: [home.lon, home.lat]],
                                     properties: [name: "ops home $id", kind: "SAFE", subjects: [id], radiusMeters: 300]], token)
        }
        Thread.sleep(1_000) // every node's fence index follows the geoward_cluster notification
        Instant t0 = Instant.now().minusSeconds(60), t1 = t0.plusSeconds(30)
        Closure<Map> fix = { long id, Map at, Instant t, double north -> [subjectId: id, time: t.toString(), lon: at.lon,
                                                                          lat: at.lat + north / 111_195, accuracy: 5] }
        assert a.post("/api/sightings", [fix(guardian, homeG, t0, 0), fix(withGuardian, homeG, t0, 0),
                                         fix(alone, homeA, t0, 0)], token).statusCode() == 202
        assert ServerProcess.waitFor(30) { [guardian, withGuardian, alone].every { stored(it) == 1 } }
        assert b.post("/api/sightings", [fix(guardian, homeG, t1, 605)], token).statusCode() == 202
        assert ServerProcess.waitFor(30) { stored(guardian) == 2 }
        def out = a.post("/api/sightings", [fix(withGuardian, homeG, t1, 600), fix(alone, homeA, t1, 600)], token)

        then: 'the ward alone raises WANDER; the one with its guardian does not: node a read the guardian\'s fixes'
        out.statusCode() == 202
        ServerProcess.waitFor(30) { wanders(alone) == 1 }
        Thread.sleep(2_000)
        wanders(withGuardian) == 0

        cleanup:
        socket?.close()
    }

    def "an officer's fix evaluated on the other node records the arrival once, and this node's SSE clients see it"() {
        given: 'two nodes; an officer whose partition b owns, dispatched through a to an alert 20 m away'
        String topic = "ops-arrive-${++featureNo}"
        def a = node("a", topic)
        def b = node("b", topic)
        assert ServerProcess.waitFor(90) { owners(topic) == [a: 6, b: 6] }
        String token = a.token("admin", PASSWORD)
        Set<Integer> ofB = partitionsOf(topic, "b")
        long officer = (0..<40).collect { i -> a.create("/api/subjects", [kind: "OFFICER", name: "ops officer $i ${UUID.randomUUID()}",
                                                                          unit: "POLICE"], token).id as long }
                .find { PartitionedEvaluation.partitionOf(it, PARTITIONS) in ofB }
        long ward = newWard(a, token, "arrive")
        double lon = 106.7, lat = 29.65
        long alert = database.rows("""INSERT INTO alert (type, status, subject_id, opened_at, pos, last_fix_at)
                VALUES ('SOS', 'OPEN', ?, now(), ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, now()) RETURNING id""",
                ward, lon, lat)[0][0] as long
        def assigned = a.post("/api/alerts/$alert/assign", [officerId: officer as String], token)
        assert assigned.statusCode() == 200: assigned.body()
        List<String> events = new CopyOnWriteArrayList<>()
        def stream = follow(a, token, events)
        assert ServerProcess.waitFor(15) { events.contains("event: ready") }

        when: 'the officer\'s fix, 20 m from the alert, goes to node a (b evaluates it)'
        def posted = a.post("/api/sightings", [[subjectId: officer, time: Instant.now().toString(), lon: lon,
                                               lat: lat + 20 / 111_195, accuracy: 5]], token)

        then: 'the arrival is recorded once, and node a\'s stream carries it'
        posted.statusCode() == 202
        ServerProcess.waitFor(30) { arrivals(alert) == 1 }
        ServerProcess.waitFor(30) { events.contains("event: arrived") }
        database.rows("SELECT arrived_at IS NOT NULL FROM alert WHERE id = ?", alert)[0][0] == true
        Thread.sleep(2_000)
        arrivals(alert) == 1

        cleanup:
        stream?.interrupt()
    }

    // the device doors -----------------------------------------------------------------------------------------------

    private static HttpResponse<String> osmandGet(int port, String query) {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:$port/?$query"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString())
    }

    private static HttpResponse<String> ownTracks(ServerProcess n, Map device, Instant time) {
        String basic = Base64.encoder.encodeToString("${device.uniqueId}:${device.token}".getBytes("UTF-8"))
        String body = """{"_type":"location","lat":29.9,"lon":106.9,"tst":${time.epochSecond},"acc":5,"tid":"op"}"""
        n.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:${n.port}/ingest/owntracks"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Basic $basic").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString())
    }

    /**
     * Logs in on a new GT06 connection and sends one location; true if the location was acknowledged within 15 s,
     * false if not (no answer, or the connection closed).
     */
    private static boolean gt06Location(int port, String imei, Instant time) {
        new Socket("127.0.0.1", port).withCloseable { socket ->
            socket.soTimeout = 15_000
            socket.outputStream.write(DeviceEndToEndSpec.loginFrame(imei, 1))
            assert DeviceEndToEndSpec.readAck(socket) == DeviceEndToEndSpec.expectedAck(0x01, 1)
            socket.outputStream.write(DeviceEndToEndSpec.locationFrame(time, 29.9, 106.9, 2))
            try {
                DeviceEndToEndSpec.readAck(socket) == DeviceEndToEndSpec.expectedAck(0x12, 2)
            } catch (SocketTimeoutException ignored) {
                false
            }
        }
    }

    // nodes and probes ------------------------------------------------------------------------------------------------

    private ServerProcess node(String name, String topic, Map<String, String> extra = [:]) {
        def n = new ServerProcess("geoward-cluster-ops-$name", JVM)
        nodes << n
        n.start(dbEnv + [GEOWARD_KAFKA_BOOTSTRAP      : broker.bootstrap, GEOWARD_KAFKA_TOPIC: topic,
                         GEOWARD_KAFKA_GROUP          : "group-$topic".toString(), GEOWARD_NODE_ID: name,
                         GEOWARD_KAFKA_SESSION_TIMEOUT: "6s", GEOWARD_ADMIN_PASSWORD: PASSWORD,
                         GEOWARD_JWT_SECRET           : JWT_SECRET, GEOWARD_METRICS_TOKEN: SCRAPE,
                         GEOWARD_EVALUATE_CHECKPOINT_INTERVAL: "2s"] + extra)
        n
    }

    private static Map ready(ServerProcess n) {
        long began = System.nanoTime()
        try {
            def r = n.send("GET", "/ready", null, null, Duration.ofSeconds(10))
            [status: r.statusCode(), body: new JsonSlurper().parseText(r.body()), millis: (System.nanoTime() - began).intdiv(1_000_000)]
        } catch (IOException e) {
            [status: -1, body: [:], millis: (System.nanoTime() - began).intdiv(1_000_000)]
        }
    }

    /** Every sample of the node's Prometheus text whose name is {@code name}, by its {@code partition} label. */
    private static Map<Integer, Long> samples(ServerProcess n, String name) {
        def r = n.send("GET", "/metrics", null, SCRAPE, Duration.ofSeconds(10))
        assert r.statusCode() == 200
        Map<Integer, Long> out = [:]
        r.body().readLines().each { line ->
            def m = line =~ /^${name}\{(.*)\} (\S+)$/
            if (m.matches()) {
                def partition = m.group(1) =~ /partition="(\d+)"/
                assert partition.find(): line
                out[partition.group(1) as int] = m.group(2) as double as long
            }
        }
        out
    }

    private static Map<Integer, Long> lags(ServerProcess n) { samples(n, "geoward_kafka_consumer_lag_records") }

    private static Map<Integer, Long> owned(ServerProcess n) { samples(n, "geoward_kafka_partition_owned") }

    /** Node name → partitions it owns, from {@code cluster_checkpoint}. */
    private Map<String, Integer> owners(String topic) {
        database.rows("SELECT owner, count(*) FROM cluster_checkpoint WHERE topic = ? AND owner IS NOT NULL GROUP BY 1", topic)
                .collectEntries { [it[0], it[1] as int] }
    }

    private Set<Integer> partitionsOf(String topic, String owner) {
        database.rows("SELECT partition FROM cluster_checkpoint WHERE topic = ? AND owner = ?", topic, owner)
                .collect { it[0] as int } as Set
    }

    private static long newWard(ServerProcess n, String token, String name, List<Long> guardians = []) {
        n.create("/api/subjects", [kind   : "WARD", name: "ops ward $name ${UUID.randomUUID()}", offlineMinutes: 100_000,
                                   guardians: guardians, consent: [by: "ops", textVersion: "test"]], token).id as long
    }

    /** The first subject {@code make} creates (40 tries at most) whose partition is one of {@code partitions}. */
    private static long ownedBy(Set<Integer> partitions, Closure<Long> make) {
        for (int i = 0; i < 40; i++) {
            long id = make()
            if (PartitionedEvaluation.partitionOf(id, PARTITIONS) in partitions) {
                return id
            }
        }
        throw new AssertionError("40 subjects made, none in partitions $partitions")
    }

    private long wanders(long subject) {
        database.rows("SELECT count(*) FROM alert WHERE subject_id = ? AND type = 'WANDER'", subject)[0][0] as long
    }

    private long stored(long subject) {
        database.rows("SELECT count(*) FROM sighting WHERE subject_id = ?", subject)[0][0] as long
    }

    private long arrivals(long alert) {
        database.rows("SELECT count(*) FROM alert_event WHERE alert_id = ? AND action = 'ARRIVED'", alert)[0][0] as long
    }

    /** Follows {@code GET /api/alerts/stream} on a thread of its own, adding every line to {@code lines}. */
    private static Thread follow(ServerProcess n, String token, List<String> lines) {
        def request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:${n.port}/api/alerts/stream"))
                .header("Authorization", "Bearer $token").header("Accept", "text/event-stream").GET().build()
        Thread t = new Thread({
            try {
                n.http.send(request, HttpResponse.BodyHandlers.ofLines()).body().forEach { lines << it.trim() }
            } catch (Exception ignored) {
                // the feature ends
            }
        } as Runnable)
        t.daemon = true
        t.start()
        t
    }
}
