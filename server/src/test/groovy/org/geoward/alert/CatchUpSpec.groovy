package org.geoward.alert

import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject

/**
 * Fixes stored but never evaluated (the evaluation failed and was rolled back to its savepoint while the sightings
 * committed, or rows written by an older version that committed the store before the evaluation) are found and
 * evaluated by {@link EvaluationCatchUp}; mostly played by inserting the sighting rows as the store does, without the
 * evaluation, and once by a real database fault in the middle of an ingest.
 */
@MicronautTest(transactional = false)
class CatchUpSpec extends AlertSpecBase {

    @Inject EvaluationCatchUp catchUp

    /** A sighting row as SightingStore writes it, received {@code receivedSecondsAgo} ago, with no evaluation. */
    void storeOnly(long subject, double minutes, double lon, double lat, int receivedSecondsAgo) {
        scene.update("""
                INSERT INTO sighting (subject_id, time, received_at, pos, accuracy, source)
                VALUES (?, ?::timestamptz, now() - make_interval(secs => ?),
                        ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, 5, 'GPS')""",
                subject, scene.at(minutes), receivedSecondsAgo, lon, lat)
    }

    /** A ward with a 200 m SAFE circle, evaluated at home {@code minutes} after the scene's base time. */
    long wardAtHome(double minutes) {
        long ward = scene.subject('WARD')
        scene.circle('SAFE', LON, LAT, 200, [ward])
        scene.post(token, scene.fix(ward, minutes, LON, LAT))
        ward
    }

    def "a ward's exit stored before a crash but never evaluated raises WANDER at the next catch-up, once"() {
        given: 'a ward seen at home, evaluated as usual'
        long ward = wardAtHome(0)

        and: 'two fixes 2 km out, stored a minute ago, whose evaluation never happened'
        storeOnly(ward, 5, LON + 2 * KM, LAT, 60)
        storeOnly(ward, 6, LON + 2 * KM, LAT, 60)
        assert alerts(ward).isEmpty()

        when:
        int found = catchUp.run()

        then: 'the exit is evaluated with its own event time'
        found >= 2
        alerts(ward)*.properties*.type == ['WANDER']
        alerts(ward)[0].properties.openedAt == scene.at(5)

        and: 'nothing of the ward is left to catch up, so a second run raises nothing more'
        catchUp.unevaluated().every { it.subjectId() != ward }
        catchUp.run() >= 0
        alerts(ward).size() == 1
    }

    def "a fix just stored is left to the evaluation still running on it (grace period)"() {
        given:
        long ward = wardAtHome(0)
        storeOnly(ward, 5, LON + 2 * KM, LAT, 0)

        expect:
        catchUp.unevaluated().every { it.subjectId() != ward }
    }

    def "an out-of-order fix older than the last evaluated one is not caught up"() {
        given:
        long ward = wardAtHome(10)
        storeOnly(ward, 5, LON + 2 * KM, LAT, 60)

        expect:
        catchUp.unevaluated().every { it.subjectId() != ward }
    }

    def "a batch whose evaluation fails on the database for one ward still stores everything, alerts the others, and the catch-up evaluates the ward later"() {
        given: 'two wards at home; the database refuses to save the state of the first (a fault in mid-transaction)'
        long failing = wardAtHome(0)
        long other = wardAtHome(0)
        String trigger = "refuse_state_${failing}"
        scene.update("""
                CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS \$\$
                BEGIN RAISE EXCEPTION 'state of subject % refused by the test', NEW.subject_id; END \$\$""")
        scene.update("""
                CREATE TRIGGER ${trigger} BEFORE UPDATE ON subject_state FOR EACH ROW
                WHEN (NEW.subject_id = ${failing}) EXECUTE FUNCTION ${trigger}()""")

        when: 'one batch takes both 2 km out'
        def response = scene.post(token, [scene.fix(failing, 5, LON + 2 * KM, LAT), scene.fix(other, 5, LON + 2 * KM, LAT)])

        then: 'both fixes are stored and acknowledged; the other ward is evaluated and alerted, the failing one not'
        response.status.code == 202
        response.body().accepted == 2
        scene.first('SELECT count(*) FROM sighting WHERE subject_id = ANY(?::bigint[]) AND time = ?::timestamptz',
                "{$failing,$other}".toString(), scene.at(5)) == 2
        alerts(other)*.properties*.type == ['WANDER']
        alerts(failing).isEmpty()
        scene.first('SELECT last_fix_at < ?::timestamptz FROM subject_state WHERE subject_id = ?', scene.at(5), failing)

        when: 'the fault is gone and the fix is older than the grace period: the catch-up evaluates it'
        scene.update("DROP TRIGGER ${trigger} ON subject_state")
        scene.update("DROP FUNCTION ${trigger}()")
        scene.update("UPDATE sighting SET received_at = now() - interval '1 minute' WHERE subject_id = ?", failing)
        catchUp.run()

        then:
        alerts(failing)*.properties*.type == ['WANDER']
        alerts(failing)[0].properties.openedAt == scene.at(5)
        alerts(other).size() == 1

        cleanup:
        scene.update("DROP TRIGGER IF EXISTS ${trigger} ON subject_state")
        scene.update("DROP FUNCTION IF EXISTS ${trigger}()")
    }
}
