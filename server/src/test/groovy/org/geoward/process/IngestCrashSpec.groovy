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
import org.geoward.process.IngestLedger.Batch
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

/**
 * {@code kill -9} of the server JVM at random moments while four senders post 20,000 fixes of walks that cross
 * fences. Each of 20 wards has a guardian with a phone and a safe zone of its own; a "river" strip north of all the
 * zones is a DANGER fence. Every ward idles in its zone, walks north out of it alone (one WANDER) and into the river
 * (one DANGER), and stays there. After the last restart every acknowledged fix must be stored, every ward must have
 * exactly those two alerts, and every alert exactly one SMS to the guardian, sent once.
 *
 * <p>The plan (batches, kill points, delays) comes from one seed, printed at the start; run again with
 * {@code -Dgeoward.chaos.seed=<seed>} to replay it. Alerts are awaited with a deadline, not expected at the 202.
 */
class IngestCrashSpec extends Specification {
    static final String PASSWORD = "crash-spec-pw"
    static final int WARDS = 20
    static final int FIXES_PER_WARD = 1000
    static final int SENDERS = 4
    static final int TOTAL = WARDS * FIXES_PER_WARD
    /** How long the senders take without kills: the kill points fall inside it. */
    static final long SENDING_MILLIS = 15_000
    static final double LAT = 29.70
    static final double METERS_PER_DEGREE_LAT = 111_195
    static final double METERS_PER_DEGREE_LON = 111_195 * Math.cos(Math.toRadians(LAT))
    static final double SAFE_RADIUS_METERS = 300
    /** The river: a strip from 700 to 1,000 m north of the wards' homes. */
    static final double RIVER_SOUTH_METERS = 700
    static final double RIVER_NORTH_METERS = 1000

    @Shared
    @AutoCleanup
    ServerProcess server = new ServerProcess("geoward-crash")

    @Shared
    long seed = Long.getLong("geoward.chaos.seed", new Random().nextLong())

    @Shared
    @AutoCleanup("shutdownNow")
    ExecutorService threads = Executors.newFixedThreadPool(SENDERS + 1)

    /** A ward, its guardian's phone and where its safe zone is centred. */
    static class Ward {
        long id
        String phone
        double lon
    }

    def "after kill -9 at random moments every acknowledged fix is stored and every alert raised and sent once"() {
        given: 'twenty wards with guardians and safe zones, and the river'
        println "IngestCrashSpec seed: $seed (replay with -Dgeoward.chaos.seed=$seed)"
        Random random = new Random(seed)
        server.start([GEOWARD_ADMIN_PASSWORD: PASSWORD])
        String token = server.token("admin", PASSWORD)
        List<Ward> wards = (0..<WARDS).collect { ward(token, it) }
        river(token)

        and: 'each sender owns five wards and posts their walks in batches of 50-200, in event-time order per ward'
        List<List<Batch>> plans = (0..<SENDERS).collect { s ->
            batches(wards.findAll { wards.indexOf(it) % SENDERS == s }, random)
        }
        List<Double> killPoints = killPoints(random)
        List<Integer> killDelays = killPoints.collect { random.nextInt(300) }
        println "kill -9 after ${killPoints.collect { (it * TOTAL) as int }} acknowledged fixes," +
                " each a further $killDelays ms later, while a post awaits its answer"
        def ledger = new IngestLedger()
        def sendersDone = new AtomicBoolean()
        List<Map> kills = []

        when: 'the senders post while the server is killed (inside a request) and restarted at those moments'
        List<Future> senders = plans.collect { plan ->
            threads.submit({ send(ledger, token, plan) } as Callable)
        }
        Future killer = threads.submit({
            killPoints.eachWithIndex { point, i ->
                ServerProcess.waitFor(120) { ledger.ackedFixes >= point * TOTAL || sendersDone.get() }
                if (!sendersDone.get()) {
                    Thread.sleep(killDelays[i])
                    awaitPostInFlight(ledger)
                    kills << [ackedFixes: ledger.ackedFixes, postsInFlight: ledger.inFlight, at: Instant.now()]
                    server.kill()
                    server.start()
                }
            }
        } as Callable)
        senders*.get(150, TimeUnit.SECONDS)
        sendersDone.set(true)
        killer.get(150, TimeUnit.SECONDS)
        println "kills: $kills"
        println "answers: ${ledger.tally()}"

        and: 'the alerts and their messages have had time to follow'
        boolean alertsArrived = ServerProcess.waitFor(60) {
            server.rows("SELECT count(DISTINCT (subject_id, type)) FROM alert")[0][0] >= 2 * WARDS
        }
        boolean messagesSent = ServerProcess.waitFor(60) {
            def counts = server.rows("SELECT count(*) FILTER (WHERE status = 'SENT'), count(*) FROM notification")[0]
            counts[0] == counts[1] && counts[0] >= 2 * WARDS
        }

        List<String> lost = ledger.missingFrom(server)

        then: 'the server was killed at least three times while the senders posted'
        kills.size() >= 3
        server.alive

        and: 'every acknowledged fix is stored, and nothing else; every ward raised one WANDER and one DANGER, no' +
                ' more and no fewer; each alert sent its guardian one SMS, once; no message was queued or sent twice'
        verifyAll {
            ledger.ackedDistinct == TOTAL
            lost.take(20) == []
            server.rows("SELECT count(*) FROM sighting")[0][0] == TOTAL
            alertsArrived
            alertCounts() == wards.collectEntries { [it.id, [DANGER: 1, WANDER: 1]] }
            messagesSent
            smsPerAlert() == wards.collectMany { w -> [[w.id, 'DANGER', w.phone, 'SENT'], [w.id, 'WANDER', w.phone, 'SENT']] }
                    .sort { it.toString() }
            server.rows("""SELECT n.alert_id, n.channel, n.recipient, e.action, count(*)
                           FROM notification n JOIN alert_event e ON e.id = n.alert_event_id
                           GROUP BY 1, 2, 3, 4 HAVING count(*) > 1""") == []
            server.rows("""SELECT notification_id, count(*) FROM notification_attempt WHERE result = 'SENT'
                           GROUP BY 1 HAVING count(*) > 1""") == []
            server.rows("SELECT phone, count(*) FROM sms_message GROUP BY 1 ORDER BY 1")
                    .collect { [it[0], it[1] as int] } == wards.collect { [it.phone, 2] }.sort { it[0] }
        }
    }

    /** Posts each batch until it is acknowledged, no faster than the pace that spreads the plan over 15 s. */
    private void send(IngestLedger ledger, String token, List<Batch> plan) {
        long pace = SENDING_MILLIS.intdiv(plan.size())
        for (Batch batch : plan) {
            long next = System.currentTimeMillis() + pace
            ledger.postUntilAcked(server, token, batch, Duration.ofSeconds(30), Duration.ofSeconds(120))
            long rest = next - System.currentTimeMillis()
            if (rest > 0) {
                Thread.sleep(rest)
            }
        }
    }

    /** Waits (at most 2 s) until some post awaits its answer, so that the kill falls inside a request. */
    private static void awaitPostInFlight(IngestLedger ledger) {
        long giveUp = System.currentTimeMillis() + 2_000
        while (ledger.inFlight == 0 && System.currentTimeMillis() < giveUp) {
            Thread.sleep(1)
        }
    }

    /** 3 or 4 fractions of the fixes, one drawn in each of as many equal slots of 10 %-85 %. */
    private static List<Double> killPoints(Random random) {
        int count = 3 + random.nextInt(2)
        double slot = 0.75 / count
        (0..<count).collect { 0.10 + it * slot + random.nextDouble() * slot }
    }

    /** The walks of {@code wards} cut into batches: each batch carries the next n/5 fixes of each of its wards. */
    private static List<Batch> batches(List<Ward> wards, Random random) {
        Map<Long, List<Map>> walks = wards.collectEntries { [it.id, walk(it, random)] }
        List<Batch> batches = []
        int done = 0
        while (done < FIXES_PER_WARD) {
            int perWard = Math.min(FIXES_PER_WARD - done, (50 + random.nextInt(151)).intdiv(wards.size()))
            batches << new Batch(wards.collectMany { walks[it.id].subList(done, done + perWard) })
            done += perWard
        }
        batches
    }

    /**
     * A ward's 1,000 fixes, 2 s apart, ending a few minutes ago: 400 idling within 80 m of home, 300 walking north
     * to 850 m (leaving the 300 m safe zone at about fix 515, entering the river at about fix 656), 300 milling about
     * in the river, at least 100 m inside its banks.
     */
    private static List<Map> walk(Ward ward, Random random) {
        Instant base = Instant.now().minus(40, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)
        (0..<FIXES_PER_WARD).collect { k ->
            double north
            double east
            if (k < 400) {
                north = random.nextDouble() * 160 - 80
                east = random.nextDouble() * 160 - 80
            } else if (k < 700) {
                north = (k - 400) / 300 * 850
                east = random.nextDouble() * 10 - 5
            } else {
                north = 850 + random.nextDouble() * 100 - 50
                east = random.nextDouble() * 100 - 50
            }
            [subjectId: ward.id, time: base.plusSeconds(2L * k).toString(),
             lon: ward.lon + east / METERS_PER_DEGREE_LON, lat: LAT + north / METERS_PER_DEGREE_LAT, accuracy: 5]
        }
    }

    /** Ward number {@code i}: a guardian with a phone, the ward, and its 300 m safe zone, 2 km from the next. */
    private Ward ward(String token, int i) {
        String phone = String.format("13800%06d", i)
        def guardian = server.create("/api/subjects", [kind: "GUARDIAN", name: "guardian $i", phone: phone], token)
        def ward = server.create("/api/subjects",
                [kind: "WARD", name: "ward $i", guardians: [guardian.id], offlineMinutes: 100_000,
                 consent: [by: "guardian $i", textVersion: "test"]], token)
        double lon = 107.30 + 0.02 * i
        server.create("/api/fences", [type      : "Feature",
                                      geometry  : [type: "Point", coordinates: [lon, LAT]],
                                      properties: [name: "home of ward $i", kind: "SAFE", subjects: [ward.id],
                                                   radiusMeters: SAFE_RADIUS_METERS]], token)
        new Ward(id: ward.id as long, phone: phone, lon: lon)
    }

    /** The river: a DANGER strip north of every home (no subjects named: it applies to every ward). */
    private void river(String token) {
        double south = LAT + RIVER_SOUTH_METERS / METERS_PER_DEGREE_LAT
        double north = LAT + RIVER_NORTH_METERS / METERS_PER_DEGREE_LAT
        double west = 107.28
        double east = 107.32 + 0.02 * WARDS
        server.create("/api/fences", [type      : "Feature",
                                      geometry  : [type       : "Polygon",
                                                   coordinates: [[[west, south], [east, south], [east, north],
                                                                  [west, north], [west, south]]]],
                                      properties: [name: "the river", kind: "DANGER"]], token)
    }

    /** Alerts per ward and type. */
    private Map<Long, Map<String, Integer>> alertCounts() {
        Map<Long, Map<String, Integer>> counts = [:]
        server.rows("SELECT subject_id, type, count(*) FROM alert GROUP BY 1, 2 ORDER BY 1, 2").each {
            counts.computeIfAbsent(it[0] as long) { [:] }[it[1] as String] = it[2] as int
        }
        counts
    }

    /** Every SMS notification of every alert: [ward, alert type, phone, status]. */
    private List<List> smsPerAlert() {
        server.rows("""SELECT a.subject_id, a.type, n.recipient, n.status
                       FROM alert a JOIN notification n ON n.alert_id = a.id WHERE n.channel = 'SMS'""")
                .collect { [it[0] as long, it[1], it[2], it[3]] }
                .sort { it.toString() }
    }
}
