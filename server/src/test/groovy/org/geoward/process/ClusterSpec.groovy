package org.geoward.process

import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.Callable
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.Future
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import org.geoward.process.IngestLedger.Batch
import spock.lang.AutoCleanup
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification

/**
 * Cluster mode against the real parts: a Kafka broker (KRaft, from Maven Central's jars), two Geoward nodes as
 * separate JVMs and one PostGIS. 100 wards and their 100 guardians send fixes, spread over both nodes; each ward
 * idles in its safe zone, walks out of it alone (one WANDER) and into the river (one DANGER). While they send, a node
 * is killed with SIGKILL and then both are restarted one after the other (feature 1, in the suite), or both are
 * stopped cleanly and restarted over a longer sending (feature 2, {@code GEOWARD_CHAOS_LONG}). Afterwards every
 * acknowledged fix must be in {@code sighting}, every ward must have exactly its two alerts, and each alert exactly
 * one SMS to the guardian, sent once. The broker stopped and started again is ClusterOperationsSpec's first feature
 * (every door: 503 with Retry-After or no GT06 ack meanwhile, acks after, without a restart of the node).
 *
 * <p>The database is a private cluster made by a server that is then killed (its PostgreSQL keeps running), so that
 * neither node owns it; broker and database are {@link ClusterBackbone}'s, shared with ClusterOperationsSpec. Each
 * feature has its own topic, group and subjects.
 */
class ClusterSpec extends Specification {
    static final String PASSWORD = ClusterBackbone.ADMIN_PASSWORD
    static final String JWT_SECRET = "cluster-spec-jwt-secret-" + UUID.randomUUID()
    static final int WARDS = 100
    static final int FIXES_PER_SUBJECT = 120
    static final int SENDERS = 4
    static final int TOTAL = 2 * WARDS * FIXES_PER_SUBJECT
    static final long SENDING_MILLIS = 20_000
    static final double LAT = 29.60
    static final double METERS_PER_DEGREE_LAT = 111_195
    static final double METERS_PER_DEGREE_LON = 111_195 * Math.cos(Math.toRadians(LAT))
    static final List<String> JVM = ["-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]

    @Shared
    KafkaBroker broker

    @Shared
    ServerProcess database

    @Shared
    @AutoCleanup("shutdownNow")
    ExecutorService threads = Executors.newFixedThreadPool(SENDERS + 1)

    @Shared
    Map<String, String> dbEnv

    @Shared
    int featureNo = 0

    List<ServerProcess> nodes = []

    static class Ward {
        long id
        long guardian
        String phone
        double lon
        double lat
    }

    def setupSpec() {
        broker = ClusterBackbone.broker()
        database = ClusterBackbone.database()
        dbEnv = ClusterBackbone.databaseEnv()
    }

    def cleanup() {
        nodes.each { it.close() }
    }

    def "two nodes share the partitions; after kill -9 of one the other takes its partitions over, and through the rolling restart that follows nothing is lost or doubled"() {
        given: 'a topic of its own, node a, then node b, both owning partitions'
        String topic = "fixes-kill-${++featureNo}"
        def a = node("a", topic)
        def b = node("b", topic)
        assert ServerProcess.waitFor(90) { owners(topic) == [a: 6, b: 6] }
        Map<String, Integer> before = owners(topic)
        String token = a.token("admin", PASSWORD)
        List<Ward> wards = scene(a, token, 0)
        def ledger = new IngestLedger()
        def restarted = new AtomicBoolean()
        Map kill = [:]
        List<String> restarts = []

        when: 'the senders post to both nodes in turn; after 25 % of the fixes node b is killed with SIGKILL, and once' +
                ' node a has its partitions, b is started again, then a is stopped (SIGTERM) and started again (the last' +
                ' 10 % of each sender\'s batches wait for that)'
        List<Future> senders = plans(wards).collect { plan ->
            threads.submit({ send(ledger, token, plan, 30_000, restarted) } as Callable)
        }
        Future killer = threads.submit({
            ServerProcess.waitFor(120) { ledger.ackedFixes >= 0.25 * TOTAL }
            awaitPostInFlight(ledger)
            kill.ackedFixes = ledger.ackedFixes
            long killedAt = System.currentTimeMillis()
            b.kill()
            ServerProcess.waitFor(90) { owners(topic).keySet() == ["a"] as Set }
            kill.takeoverMillis = System.currentTimeMillis() - killedAt
            kill.owners = owners(topic)
            [b, a].each { ServerProcess n ->
                long began = System.currentTimeMillis()
                if (n == a) {
                    restarts << "stopped a at ${ledger.ackedFixes} fixes (exit ${a.stop()})".toString()
                }
                n.start(nodeEnv(n == a ? "a" : "b", topic))
                ServerProcess.waitFor(90) { owners(topic) == [a: 6, b: 6] }
                restarts << "${n == a ? 'a' : 'b'} back, partitions shared again, after ${System.currentTimeMillis() - began} ms".toString()
            }
            kill.ackedWhenBack = ledger.ackedFixes
            restarted.set(true)
        } as Callable)
        killer.get(400, TimeUnit.SECONDS)
        senders*.get(400, TimeUnit.SECONDS)
        println "ClusterSpec kill -9: partitions before $before; $kill; then $restarts; answers ${ledger.tally()}"
        boolean settled = settle(wards)

        then: 'the 12 partitions were shared 6 and 6, node a took over all of them, and after the restarts they are shared again'
        before == [a: 6, b: 6]
        kill.takeoverMillis != null
        kill.owners == [a: 12]
        restarts.size() == 3
        kill.ackedWhenBack < TOTAL
        owners(topic) == [a: 6, b: 6]

        and: 'every acknowledged fix is stored once, every ward has one WANDER and one DANGER, each SMS sent once'
        verifyAll {
            ledger.ackedDistinct == TOTAL
            ledger.missingFrom(database).take(20) == []
            stored(wards) == TOTAL
            settled
            alertCounts(wards) == wards.collectEntries { [it.id, [DANGER: 1, WANDER: 1]] }
            smsPerAlert(wards) == expectedSms(wards)
            duplicateMessages(wards) == []
        }
    }

    // the long chaos run, both nodes stopped cleanly over 60 s of sending; the suite's feature above kills one and then
    // restarts both within 30 s (docs/cluster.md)
    @Requires({ env.GEOWARD_CHAOS_LONG })
    def "a rolling restart of both nodes under load loses and doubles nothing"() {
        given:
        String topic = "fixes-rolling-${++featureNo}"
        def a = node("a", topic)
        def b = node("b", topic)
        assert ServerProcess.waitFor(60) { owners(topic).keySet() == ["a", "b"] as Set }
        String token = a.token("admin", PASSWORD)
        List<Ward> wards = scene(a, token, 1)
        def ledger = new IngestLedger()
        List<String> restarts = []

        when: 'node a is stopped and started again after 10 % of the fixes, node b once a is back; the last 10 % of' +
                ' each sender\'s batches wait until both are back'
        def bothBack = new AtomicBoolean()
        List<Future> senders = plans(wards).collect { plan ->
            threads.submit({ send(ledger, token, plan, 60_000, bothBack) } as Callable)
        }
        Future restarter = threads.submit({
            [[0.10, a], [0.0, b]].each { point, ServerProcess n ->
                ServerProcess.waitFor(120) { ledger.ackedFixes >= point * TOTAL }
                long began = System.currentTimeMillis()
                restarts << "stopped ${n.port} at ${ledger.ackedFixes} (exit ${n.stop()})".toString()
                n.start(nodeEnv(n == a ? "a" : "b", topic))
                restarts << "restarted after ${System.currentTimeMillis() - began} ms".toString()
            }
        } as Callable)
        restarter.get(400, TimeUnit.SECONDS)
        long ackedWhenBothBack = ledger.ackedFixes
        bothBack.set(true)
        senders*.get(400, TimeUnit.SECONDS)
        println "ClusterSpec rolling restart: $restarts; answers ${ledger.tally()}"
        boolean settled = settle(wards)

        then: 'both restarts fell inside the sending'
        ackedWhenBothBack < TOTAL

        and: 'every acknowledged fix is stored once, every ward has one WANDER and one DANGER, each SMS sent once'
        verifyAll {
            restarts.size() == 4
            ServerProcess.waitFor(90) { owners(topic) == [a: 6, b: 6] }
            ledger.ackedDistinct == TOTAL
            ledger.missingFrom(database).take(20) == []
            stored(wards) == TOTAL
            settled
            alertCounts(wards) == wards.collectEntries { [it.id, [DANGER: 1, WANDER: 1]] }
            smsPerAlert(wards) == expectedSms(wards)
            duplicateMessages(wards) == []
        }
    }

    // nodes and the scene ---------------------------------------------------------------------------------------------

    private ServerProcess node(String name, String topic) {
        def n = new ServerProcess("geoward-cluster-$name", JVM)
        nodes << n
        n.start(nodeEnv(name, topic))
        n
    }

    private Map<String, String> nodeEnv(String name, String topic) {
        dbEnv + [GEOWARD_KAFKA_BOOTSTRAP      : broker.bootstrap, GEOWARD_KAFKA_TOPIC: topic,
                 GEOWARD_KAFKA_GROUP          : "group-$topic".toString(), GEOWARD_NODE_ID: name,
                 GEOWARD_KAFKA_SESSION_TIMEOUT: "6s", GEOWARD_ADMIN_PASSWORD: PASSWORD,
                 GEOWARD_JWT_SECRET           : JWT_SECRET, GEOWARD_EVALUATE_CHECKPOINT_INTERVAL: "2s"]
    }

    /** Node name → partitions it owns, from {@code cluster_checkpoint}. */
    private Map<String, Integer> owners(String topic) {
        database.rows("SELECT owner, count(*) FROM cluster_checkpoint WHERE topic = ? GROUP BY 1", topic)
                .collectEntries { [it[0], it[1] as int] }
    }

    /** {@code count} wards with guardians and safe zones, and their river, in band {@code band} (3 km apart). */
    private List<Ward> scene(ServerProcess n, String token, int band, int count = WARDS) {
        double lat = LAT + band * 0.03
        List<Ward> wards = (0..<count).collect { i ->
            String phone = String.format("1390%d%06d", band, i)
            def guardian = n.create("/api/subjects", [kind: "GUARDIAN", name: "guardian $band-$i", phone: phone], token)
            def ward = n.create("/api/subjects",
                    [kind   : "WARD", name: "ward $band-$i", guardians: [guardian.id], offlineMinutes: 100_000,
                     consent: [by: "guardian $band-$i", textVersion: "test"]], token)
            double lon = 106.0 + 0.01 * i
            n.create("/api/fences", [type      : "Feature", geometry: [type: "Point", coordinates: [lon, lat]],
                                     properties: [name: "home $band-$i", kind: "SAFE", subjects: [ward.id], radiusMeters: 300]], token)
            new Ward(id: ward.id as long, guardian: guardian.id as long, phone: phone, lon: lon, lat: lat)
        }
        double south = lat + 700 / METERS_PER_DEGREE_LAT
        double north = lat + 1000 / METERS_PER_DEGREE_LAT
        n.create("/api/fences", [type      : "Feature",
                                 geometry  : [type: "Polygon", coordinates: [[[105.99, south], [107.1, south], [107.1, north],
                                                                             [105.99, north], [105.99, south]]]],
                                 properties: [name: "river $band", kind: "DANGER"]], token)
        wards
    }

    /** Each sender's batches: the next fixes of each of its wards and their guardians (10 s apart, in the past). */
    private static List<List<Batch>> plans(List<Ward> wards) {
        Random random = new Random(42)
        Instant base = Instant.now().minus(40, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)
        (0..<SENDERS).collect { s ->
            List<Ward> mine = wards.findAll { wards.indexOf(it) % SENDERS == s }
            List<Batch> batches = []
            for (int k = 0; k < FIXES_PER_SUBJECT; k += 4) {
                List<Map> fixes = []
                for (Ward w : mine) {
                    for (int j = k; j < Math.min(k + 4, FIXES_PER_SUBJECT); j++) {
                        fixes << walk(w, j, base, random)
                        fixes << [subjectId: w.guardian, time: base.plusSeconds(10L * j).toString(), lon: w.lon,
                                  lat: w.lat, accuracy: 5]
                    }
                }
                batches << new Batch(fixes)
            }
            batches
        }
    }

    /** Fix {@code k} of a ward: 40 idling at home, 40 walking 850 m north, 40 in the river (700-1,000 m north). */
    private static Map walk(Ward w, int k, Instant base, Random random) {
        double north = k < 40 ? random.nextDouble() * 160 - 80 : k < 80 ? (k - 40) / 40 * 850 : 850 + random.nextDouble() * 100 - 50
        double east = k < 40 ? random.nextDouble() * 160 - 80 : random.nextDouble() * 10 - 5
        [subjectId: w.id, time: base.plusSeconds(10L * k).toString(), lon: w.lon + east / METERS_PER_DEGREE_LON,
         lat: w.lat + north / METERS_PER_DEGREE_LAT, accuracy: 5]
    }

    /** Posts each batch to the nodes in turn until one acknowledges it; a node that does not answer is skipped. */
    private void send(IngestLedger ledger, String token, List<Batch> plan, long sendingMillis = SENDING_MILLIS,
                      AtomicBoolean gate = null) {
        long pace = sendingMillis.intdiv(plan.size())
        int held = plan.size() - plan.size().intdiv(10)
        def turn = new AtomicInteger(new Random().nextInt(2))
        plan.eachWithIndex { Batch batch, int index ->
            if (gate != null && index == held) {
                assert ServerProcess.waitFor(400) { gate.get() }: "the restarts did not end within 400 s"
            }
            long next = System.currentTimeMillis() + pace
            long giveUp = System.currentTimeMillis() + 120_000
            while (true) {
                ServerProcess n = nodes[turn.getAndIncrement() % nodes.size()]
                def answer = n.alive ? ledger.post(n, token, batch, Duration.ofSeconds(30)) : null
                if (answer?.status == 202) {
                    break
                }
                assert !(answer?.status in [400, 401, 403, 404, 413]): "a node refused a batch: $answer"
                assert System.currentTimeMillis() < giveUp: "a batch was not acknowledged within 120 s: $answer"
                Thread.sleep(answer?.shedding ? 500 : 100)
            }
            long rest = next - System.currentTimeMillis()
            if (rest > 0) {
                Thread.sleep(rest)
            }
        }
    }

    private static void awaitPostInFlight(IngestLedger ledger) {
        long giveUp = System.currentTimeMillis() + 2_000
        while (ledger.inFlight == 0 && System.currentTimeMillis() < giveUp) {
            Thread.sleep(1)
        }
    }

    /** Waits until every ward has its two alerts and every notification of theirs is sent. */
    private boolean settle(List<Ward> wards) {
        String ids = wards*.id.join(",")
        ServerProcess.waitFor(120) {
            database.rows("SELECT count(DISTINCT (subject_id, type)) FROM alert WHERE subject_id IN ($ids)")[0][0] >= 2 * wards.size()
        } && ServerProcess.waitFor(120) {
            def c = database.rows("""SELECT count(*) FILTER (WHERE n.status = 'SENT'), count(*) FROM notification n
                                     JOIN alert a ON a.id = n.alert_id WHERE a.subject_id IN ($ids)""")[0]
            c[0] == c[1] && c[0] >= 2 * wards.size()
        }
    }

    private long stored(List<Ward> wards) {
        String ids = (wards*.id + wards*.guardian).join(",")
        database.rows("SELECT count(*) FROM sighting WHERE subject_id IN ($ids)")[0][0] as long
    }

    private Map<Long, Map<String, Integer>> alertCounts(List<Ward> wards) {
        String ids = (wards*.id + wards*.guardian).join(",")
        Map<Long, Map<String, Integer>> counts = [:]
        database.rows("SELECT subject_id, type, count(*) FROM alert WHERE subject_id IN ($ids) GROUP BY 1, 2 ORDER BY 1, 2").each {
            counts.computeIfAbsent(it[0] as long) { [:] }[it[1] as String] = it[2] as int
        }
        counts
    }

    private List<List> smsPerAlert(List<Ward> wards) {
        database.rows("""SELECT a.subject_id, a.type, n.recipient, n.status FROM alert a
                         JOIN notification n ON n.alert_id = a.id
                         WHERE n.channel = 'SMS' AND a.subject_id IN (${wards*.id.join(',')})""")
                .collect { [it[0] as long, it[1], it[2], it[3]] }.sort { it.toString() }
    }

    private static List<List> expectedSms(List<Ward> wards) {
        wards.collectMany { w -> [[w.id, 'DANGER', w.phone, 'SENT'], [w.id, 'WANDER', w.phone, 'SENT']] }.sort { it.toString() }
    }

    /** Messages queued twice for one step, sent twice, or SMS to one phone more than twice. */
    private List<List> duplicateMessages(List<Ward> wards) {
        String ids = wards*.id.join(",")
        database.rows("""SELECT n.alert_id, n.channel, n.recipient, e.action, count(*)
                         FROM notification n JOIN alert_event e ON e.id = n.alert_event_id JOIN alert a ON a.id = n.alert_id
                         WHERE a.subject_id IN ($ids) GROUP BY 1, 2, 3, 4 HAVING count(*) > 1""") +
                database.rows("""SELECT t.notification_id, count(*) FROM notification_attempt t
                                 JOIN notification n ON n.id = t.notification_id JOIN alert a ON a.id = n.alert_id
                                 WHERE t.result = 'SENT' AND a.subject_id IN ($ids) GROUP BY 1 HAVING count(*) > 1""") +
                database.rows("SELECT phone, count(*) FROM sms_message WHERE phone IN (${wards.collect { "'$it.phone'" }.join(',')})" +
                        " GROUP BY 1 HAVING count(*) <> 2")
    }
}
