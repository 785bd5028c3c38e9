package org.geoward.alert

import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject

/**
 * Fixes stored but never evaluated (the server died between the store's commit and the evaluation's, or the
 * evaluation failed) are found and evaluated by {@link EvaluationCatchUp}; the crash is played by inserting the
 * sighting rows as the store does, without the evaluation.
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
}
