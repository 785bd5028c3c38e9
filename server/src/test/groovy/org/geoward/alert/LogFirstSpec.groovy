package org.geoward.alert

import org.geoward.partition.PartitionedEvaluation
import io.micronaut.context.ApplicationContext
import io.micronaut.context.annotation.Property
import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts

import java.time.Duration
import java.time.Instant

/**
 * The log-first path as it runs in production: a 202 means stored, the evaluation follows off the request thread,
 * and its alerts do not depend on how the fixes were batched, nor on a restart in the middle that replays the log
 * from the last checkpoint. No checkpoint is written on a timer here, so the second server below must replay.
 */
@MicronautTest(transactional = false)
@Property(name = 'geoward.ingest.wait-for-evaluation', value = 'false')
@Property(name = 'geoward.evaluate.checkpoint-interval', value = '1h')
class LogFirstSpec extends AlertSpecBase {

    @Inject PartitionedEvaluation evaluation

    /** A ward's afternoon: out of its zone alone, 30 minutes in a ban zone, back home, then SOS. */
    static final List<List<Number>> WALK = [
            [0, LON, LAT], [5, LON, LAT], [10, LON, LAT + Scene.KM], [15, BAN_LON, LAT], [30, BAN_LON, LAT],
            [45, BAN_LON, LAT], [50, LON, LAT], [55, LON, LAT, 1]]

    def "a 202 means the fixes are stored, and the alert they cause follows within a second or two"() {
        given:
        long ward = scene.subject('WARD')
        scene.circle('SAFE', LON, LAT, 200, [ward])

        when:
        def reply = scene.post(token, [scene.fix(ward, 0, LON, LAT), scene.fix(ward, 1, LON, LAT + KM)])

        then:
        reply.status.code == 202
        scene.first('SELECT count(*) FROM sighting WHERE subject_id = ?', ward) == 2
        eventually { alerts(ward)*.properties*.type == ['WANDER'] }
    }

    def "the same walk gives the same alerts sent in one batch, one fix per request, or interrupted by a restart"() {
        given: 'three wards, each with its own safe zone and ban zone, walking the same walk'
        List<Long> wards = (0..<3).collect { scene.subject('WARD') }
        wards.each { scene.circle('SAFE', LON, LAT, 200, [it]); scene.polygon('BAN', BAN_SQUARE, [it], 30) }

        when: 'the first sends it in one batch, the second one fix per request'
        scene.post(token, WALK.collect { fix(wards[0], it) })
        WALK.each { scene.post(token, fix(wards[1], it)) }

        and: 'the third sends half (into the ban zone), then the server is replaced by one that knows only the last checkpoint: the episode start and the open WANDER must come back from the log'
        WALK.subList(0, 4).each { scene.post(token, fix(wards[2], it)) }
        assert evaluation.awaitEvaluated(evaluation.evaluatedPosition(), Duration.ofSeconds(10))
        EmbeddedServer second = ApplicationContext.run(EmbeddedServer, ['micronaut.server.port': -1,
                'geoward.evaluate.checkpoint-interval': '1h'], 'test')
        HttpClient client = second.applicationContext.createBean(HttpClient, second.URL)
        String token2 = Accounts.token(client, second.applicationContext.getBean(UserRepository),
                second.applicationContext.getBean(PasswordHasher), Role.DISPATCHER)
        WALK.subList(4, WALK.size()).each {
            client.toBlocking().exchange(HttpRequest.POST('/api/sightings', fix(wards[2], it)).bearerAuth(token2), Map)
        }

        then: 'all three have the same alerts, each raised once, each notified once per recipient and step'
        settled { wards.every { digest(it).size() == 4 } }
        digest(wards[0]) == [['LOITER', 45, 'OPEN', null], ['SOS', 55, 'OPEN', null],
                             ['WANDER', 10, 'RESOLVED', 'RETURNED'], ['steps', 4]]
        digest(wards[1]) == digest(wards[0])
        digest(wards[2]) == digest(wards[0])
        wards.every { duplicateNotifications(it) == 0 }

        cleanup:
        client?.close()
        second?.close()
    }

    def "a guardian's fixes in the same batch as the ward's count as company, as they do sent one request a minute"() {
        given: 'a ward and its guardian walking out of the safe zone together, 9 m apart, a fix a minute each'
        List<Long> wards = (0..<2).collect { scene.subject('WARD') }
        List<Long> guardians = wards.collect { long w -> long g = scene.subject('GUARDIAN'); scene.guard(w, g); g }
        wards.each { scene.circle('SAFE', LON, LAT, 200, [it]) }
        def walk = { long w, long g, int minute ->
            double lat = LAT + minute * 0.0006   // ~67 m a minute, out of the 200 m zone by minute 4
            [scene.fix(g, minute, LON, lat + 0.00008), scene.fix(w, minute, LON, lat)]
        }

        when: 'one pair sends ten minutes in one batch, the other one request a minute'
        scene.post(token, (0..9).collectMany { walk(wards[0], guardians[0], it) })
        (0..9).each { scene.post(token, walk(wards[1], guardians[1], it)) }

        and: 'then both wards walk on alone'
        wards.each { long w -> scene.post(token, [scene.fix(w, 12, LON, LAT + 0.012)]) }

        then: 'neither raised WANDER while together; both raise it once alone, at the same fix'
        eventually { wards.every { alerts(it, 'WANDER').size() == 1 } }
        wards.every { alerts(it, 'WANDER')[0].properties.openedAt == scene.at(12) }
    }

    private Map fix(long ward, List<Number> row) {
        scene.fix(ward, row[0] as double, row[1] as double, row[2] as double, row.size() > 3 ? [sos: true] : [:])
    }

    /** The ward's alerts as [type, minute opened, status, outcome], by type, and the number of timeline steps. */
    private List<List<Object>> digest(long ward) {
        List<List<Object>> rows = scene.rows("""
                SELECT type, opened_at, status, outcome FROM alert WHERE subject_id = ? ORDER BY type""", ward)
                .collect { [it[0], (int) (Duration.between(scene.base, it[1].toInstant()).toMinutes()), it[2], it[3]] }
        rows + [['steps', scene.first(
                'SELECT count(*) FROM alert_event e JOIN alert a ON a.id = e.alert_id WHERE a.subject_id = ?', ward) as int]]
    }

    private int duplicateNotifications(long ward) {
        scene.first("""
                SELECT count(*) FROM (SELECT n.alert_id, n.channel, n.recipient, e.action, count(*)
                                      FROM notification n JOIN alert a ON a.id = n.alert_id
                                      JOIN alert_event e ON e.id = n.alert_event_id
                                      WHERE a.subject_id = ? GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d""", ward) as int
    }

    /** Waits up to 10 s for {@code condition}, then lets the assertions that follow say what is wrong. */
    private static void settled(Closure<Boolean> condition) {
        long deadline = System.nanoTime() + 10_000_000_000L
        while (!condition() && System.nanoTime() < deadline) {
            Thread.sleep(20)
        }
    }

    private static boolean eventually(Closure<Boolean> condition) {
        long deadline = System.nanoTime() + 10_000_000_000L
        while (!condition()) {
            assert System.nanoTime() < deadline: 'not within 10 s'
            Thread.sleep(20)
        }
        true
    }
}
