package org.geoward.alert

import org.geoward.partition.OfflineCheck
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject

import java.time.Instant
import java.time.temporal.ChronoUnit

@MicronautTest(transactional = false)
class EvaluationSpec extends AlertSpecBase {

    @Inject OfflineCheck offlineCheck

    def "a ward who leaves the safe zone alone raises WANDER at the fix's time, and coming back resolves it RETURNED"() {
        given:
        long ward = scene.subject('WARD')
        long safe = scene.circle('SAFE', LON, LAT, 200, [ward])
        scene.post(token, [scene.fix(ward, 0, LON, LAT), scene.fix(ward, 5, LON, LAT + 0.0005)])

        when: 'the ward is seen 1.1 km north, alone'
        def result = scene.post(token, scene.fix(ward, 10, LON, LAT + KM)).body()
        def open = alerts(ward)

        then:
        result.accepted == 1
        open.size() == 1
        open[0].geometry == [type: 'Point', coordinates: [LON, LAT + KM]]
        open[0].properties.type == 'WANDER'
        open[0].properties.status == 'OPEN'
        open[0].properties.subjectId == "$ward".toString()
        open[0].properties.fenceId == "$safe".toString()
        open[0].properties.openedAt == scene.at(10)
        open[0].properties.containsKey('resolvedAt') && open[0].properties.resolvedAt == null
        open[0].properties.subjectName.startsWith('ward-')
        open[0].properties.fenceName.startsWith('SAFE circle')

        when: 'the alert follows the ward, then the ward walks back in'
        scene.post(token, scene.fix(ward, 12, LON + 0.002, LAT + KM))
        def moved = alerts(ward)[0]
        scene.post(token, scene.fix(ward, 20, LON, LAT))
        def back = alerts(ward)

        then:
        moved.geometry.coordinates == [LON + 0.002, LAT + KM]
        moved.properties.lastFixAt == scene.at(12)
        back.size() == 1
        back[0].properties.status == 'RESOLVED'
        back[0].properties.outcome == 'RETURNED'
        back[0].properties.resolvedAt == scene.at(20)
        scene.get(token, "/api/alerts/${back[0].properties.id}").timeline*.action == ['OPENED', 'RESOLVED']
    }

    def "a ward outside with a guardian listed as companion raises nothing until seen alone"() {
        given:
        long ward = scene.subject('WARD')
        long guardian = scene.subject('GUARDIAN')
        scene.guard(ward, guardian)
        scene.circle('SAFE', LON, LAT, 200, [ward])
        scene.post(token, scene.fix(ward, 0, LON, LAT))

        when:
        scene.post(token, scene.fix(ward, 10, LON, LAT + KM, [companions: ["$guardian".toString()]]))

        then:
        alerts(ward).isEmpty()

        when:
        scene.post(token, scene.fix(ward, 15, LON, LAT + KM))

        then:
        alerts(ward)*.properties*.type == ['WANDER']
        alerts(ward)[0].properties.openedAt == scene.at(15)
    }

    def "staying 30:00 in a BAN zone raises LOITER once, at the fix that reached the dwell"() {
        given:
        long visitor = scene.subject('VISITOR')
        long ban = scene.polygon('BAN', BAN_SQUARE, [visitor], 30)

        when:
        scene.post(token, [scene.fix(visitor, 0, BAN_LON, LAT), scene.fix(visitor, 10, BAN_LON, LAT),
                           scene.fix(visitor, 20, BAN_LON, LAT), scene.fix(visitor, 29.99, BAN_LON, LAT)])

        then:
        alerts(visitor).isEmpty()

        when:
        scene.post(token, scene.fix(visitor, 30, BAN_LON, LAT, [evidenceUrl: 'https://cam.example/7.jpg']))
        scene.post(token, [scene.fix(visitor, 31, BAN_LON, LAT), scene.fix(visitor, 45, BAN_LON, LAT)])

        then:
        def loiter = alerts(visitor)
        loiter.size() == 1
        loiter[0].properties.type == 'LOITER'
        loiter[0].properties.fenceId == "$ban".toString()
        loiter[0].properties.openedAt == scene.at(30)
        loiter[0].properties.lastFixAt == scene.at(45)
        loiter[0].properties.evidenceUrl == 'https://cam.example/7.jpg'
    }

    def "a fix older than the latest is stored but changes nothing"() {
        given:
        long ward = scene.subject('WARD')
        scene.circle('SAFE', LON, LAT, 200, [ward])
        scene.post(token, [scene.fix(ward, 0, LON, LAT), scene.fix(ward, 10, LON, LAT + KM)])

        when: 'a late fix from inside arrives'
        def result = scene.post(token, scene.fix(ward, 5, LON, LAT)).body()

        then:
        result.accepted == 1
        alerts(ward)*.properties*.status == ['OPEN']
        scene.first("SELECT count(*) FROM sighting WHERE subject_id = ?", ward) == 3
        positions.flush() // subject_position is written behind
        scene.first("SELECT time FROM subject_position WHERE subject_id = ?", ward).toInstant() == Instant.parse(scene.at(10))
        alerts(ward)[0].geometry.coordinates == [LON, LAT + KM]
    }

    def "an SOS fix opens an SOS alert at once"() {
        given:
        long ward = scene.subject('WARD')

        when:
        scene.post(token, scene.fix(ward, 0, LON, LAT, [sos: true]))
        scene.post(token, scene.fix(ward, 1, LON, LAT, [sos: true]))

        then:
        def sos = alerts(ward)
        sos*.properties*.type == ['SOS']
        sos[0].properties.fenceId == null
        sos[0].properties.openedAt == scene.at(0)
    }

    def "a ward silent for its offline minutes gets OFFLINE, and its next fix resolves it"() {
        given:
        long ward = scene.subject('WARD', 1)
        Instant twoMinutesAgo = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)
        scene.post(token, [subjectId: ward, time: twoMinutesAgo.toString(), lon: LON, lat: LAT])

        when:
        offlineCheck.checkAll(Instant.now())
        def offline = alerts(ward)

        then:
        offline*.properties*.type == ['OFFLINE']
        offline[0].properties.status == 'OPEN'
        offline[0].geometry.coordinates == [LON, LAT]

        when: 'the job runs again, and then the ward reports'
        offlineCheck.checkAll(Instant.now())
        scene.post(token, [subjectId: ward, time: Instant.now().toString(), lon: LON, lat: LAT])
        def after = alerts(ward)

        then:
        after.size() == 1
        after[0].properties.status == 'RESOLVED'
        after[0].properties.outcome == 'REPORTED'
    }

    def "alerts can be filtered by status, type, fence, bbox and time"() {
        given:
        long ward = scene.subject('WARD')
        long safe = scene.circle('SAFE', LON, LAT, 200, [ward])
        scene.post(token, [scene.fix(ward, 0, LON, LAT), scene.fix(ward, 10, LON, LAT + KM),
                           scene.fix(ward, 11, LON, LAT + KM, [sos: true])])
        def base = "/api/alerts?subjectId=$ward"

        expect:
        scene.get(token, "$base&type=WANDER").features*.properties*.type == ['WANDER']
        scene.get(token, "$base&type=sos,wander").features.size() == 2
        scene.get(token, "$base&status=RESOLVED").features.isEmpty()
        scene.get(token, "$base&status=OPEN,ACKNOWLEDGED").features.size() == 2
        scene.get(token, "$base&fenceId=$safe").features*.properties*.type == ['WANDER']
        scene.get(token, "$base&bbox=107.38,29.705,107.40,29.72").features.size() == 2
        scene.get(token, "$base&bbox=107.0,29.0,107.1,29.1").features.isEmpty()
        scene.get(token, "$base&from=${scene.at(10.5)}").features*.properties*.type == ['SOS']
        scene.get(token, "$base&to=${scene.at(10.5)}").features*.properties*.type == ['WANDER']
        scene.get(token, "/api/alerts?subjectId=$ward").type == 'FeatureCollection'
    }

    def "a bad filter is a 400 problem document naming the parameter"() {
        when:
        scene.get(token, "/api/alerts?$query")

        then:
        def e = thrown(io.micronaut.http.client.exceptions.HttpClientResponseException)
        e.status.code == 400
        e.response.contentType.get().toString() == 'application/problem+json'
        e.response.getBody(Map).get().errors[0].field == field

        where:
        query                     || field
        'status=SLEEPING'         || 'status'
        'type=FIRE'               || 'type'
        'subjectId=abc'           || 'subjectId'
        'bbox=1,2,3'              || 'bbox'
        'bbox=107.4,29,107.3,30'  || 'bbox'
        'from=yesterday'          || 'from'
        'limit=0'                 || 'limit'
    }
}
