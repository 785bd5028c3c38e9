package org.geoward.alert

import org.geoward.partition.PartitionedEvaluation
import io.micronaut.context.annotation.Property
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject

import java.time.Duration

/**
 * A WANDER waits for company that may still come: a ward's fix that looks alone outside its safe zone is held while a
 * guardian who has been reporting has not yet reported up to that time, for at most the companion wait (2 s here,
 * 30 s by default). The guardian's fix that arrives in a later request, within the wait, counts as it would in the
 * same request; one that comes too late, or far away, does not. Each row then waits until a second after the wait
 * would have ended, counted from the ward's fix, before it counts the alerts: nothing may come later.
 */
@MicronautTest(transactional = false)
@Property(name = 'geoward.ingest.wait-for-evaluation', value = 'false')
@Property(name = 'geoward.evaluate.companion-wait', value = '2s')
class CompanionWaitSpec extends AlertSpecBase {
    static final long WAIT_MS = 2_000
    /** About 67 m of latitude: a minute's walk. */
    static final double STEP = 0.0006

    @Inject PartitionedEvaluation evaluation

    def "#how: WANDER #outcome"() {
        given: 'a ward and its guardian walking together out of a 200 m safe zone, a fix a minute each'
        long ward = scene.subject('WARD')
        long guardian = scene.subject('GUARDIAN')
        scene.guard(ward, guardian)
        scene.circle('SAFE', LON, LAT, 200, [ward])
        (0..3).each { scene.post(token, [guardianFix(guardian, it, 9), scene.fix(ward, it, LON, LAT + it * STEP)]) }
        settle()

        when: 'at minute 5, 330 m out, the ward reports and the guardian reports as the row says'
        Map wardFix = scene.fix(ward, 5, LON, LAT + 5 * STEP)
        Map companion = guardianFix(guardian, 5, guardianMeters)
        scene.post(token, sent == 'same request' ? [wardFix, companion] : wardFix)
        long quietFrom = System.nanoTime() + (WAIT_MS + 1_000) * 1_000_000
        switch (sent) {
            case 'next request': scene.post(token, companion); break
            // the guardian's fix comes once the wait has ended and the ward's fix was decided without it
            case 'after the wait': settled { alerts(ward, 'WANDER') }; scene.post(token, companion); break
        }

        then: 'once the wait is surely over, the ward has exactly the expected WANDER alerts'
        settled { alerts(ward, 'WANDER').size() == wanders }
        sleepUntil(quietFrom)
        settle()
        alerts(ward, 'WANDER').size() == wanders
        wanders == 0 || alerts(ward, 'WANDER')[0].properties.openedAt == scene.at(5)

        where:
        how                                                  | sent             | guardianMeters || wanders
        'the guardian 9 m away in the same request'          | 'same request'   | 9              || 0
        'the guardian 9 m away in the next request'          | 'next request'   | 9              || 0
        'the guardian 9 m away, but only after the wait'     | 'after the wait' | 9              || 1
        'the guardian in the next request, but 600 m away'   | 'next request'   | 600            || 1
        'the guardian stops reporting'                       | 'never'          | 9              || 1
        outcome = wanders ? 'is raised at minute 5' : 'is not raised'
    }

    def "no wait when the guardian has already reported past the ward's fix, or has never reported"() {
        given:
        long ward = scene.subject('WARD')
        long guardian = scene.subject('GUARDIAN')
        scene.guard(ward, guardian)
        scene.circle('SAFE', LON, LAT, 200, [ward])
        long silentWard = scene.subject('WARD')
        scene.guard(silentWard, scene.subject('GUARDIAN'))
        scene.circle('SAFE', LON, LAT, 200, [silentWard])

        when: 'the guardian, 600 m off, reports minute 6 before the ward reports minute 5; the other guardian never reports'
        scene.post(token, guardianFix(guardian, 6, 600))
        scene.post(token, [scene.fix(ward, 5, LON, LAT + 5 * STEP), scene.fix(silentWard, 5, LON, LAT + 5 * STEP)])
        settle()

        then: 'both WANDERs are written as soon as their fixes are evaluated: nothing is left to wait for'
        alerts(ward, 'WANDER').size() == 1
        alerts(silentWard, 'WANDER').size() == 1
    }

    def "a held fix is not checkpointed past, so a crash replays it; after the wait it is decided once"() {
        given: 'a ward whose minute-5 fix waits for its guardian'
        long ward = scene.subject('WARD')
        long guardian = scene.subject('GUARDIAN')
        scene.guard(ward, guardian)
        scene.circle('SAFE', LON, LAT, 200, [ward])
        (0..3).each { scene.post(token, [guardianFix(guardian, it, 9), scene.fix(ward, it, LON, LAT + it * STEP)]) }
        scene.post(token, scene.fix(ward, 5, LON, LAT + 5 * STEP))
        settle()
        long seq = scene.first('SELECT max(seq) FROM sighting WHERE subject_id = ?', ward) as long

        when: 'every partition checkpoints while the fix is held'
        evaluation.checkpointNow()

        then: "the ward's partition checkpoints below the held fix"
        (scene.first('SELECT position FROM evaluator_checkpoint WHERE partition = ?', evaluation.partitionOf(ward)) as long) < seq

        and: 'after the wait the WANDER is raised once'
        settled { alerts(ward, 'WANDER').size() == 1 }
        alerts(ward, 'WANDER').size() == 1
    }

    /** The guardian's fix at {@code minute}, {@code meters} east of the ward's path. */
    private Map guardianFix(long guardian, int minute, double meters) {
        scene.fix(guardian, minute, LON + meters / 96_600, LAT + minute * STEP)
    }

    private void settle() {
        assert evaluation.awaitEvaluated(
                scene.first('SELECT coalesce(max(seq), 0) FROM sighting') as long, Duration.ofSeconds(20))
    }

    /** Sleeps until {@code System.nanoTime()} reaches {@code nanos}. */
    private static void sleepUntil(long nanos) {
        long rest = nanos - System.nanoTime()
        if (rest > 0) {
            Thread.sleep(rest.intdiv(1_000_000))
        }
    }

    /** Waits up to 20 s for {@code condition}, then lets the assertions that follow say what is wrong. */
    private static void settled(Closure<Boolean> condition) {
        long deadline = System.nanoTime() + 20_000_000_000L
        while (!condition() && System.nanoTime() < deadline) {
            Thread.sleep(50)
        }
    }
}
