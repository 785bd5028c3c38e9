package org.geoward.sighting

import io.micronaut.data.jdbc.runtime.JdbcOperations
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.geoward.alert.Scene
import org.geoward.fence.FenceCatalog
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Shared
import spock.lang.Specification

import java.sql.Connection
import java.time.Instant
import java.time.temporal.ChronoUnit

import static org.geoward.alert.Scene.LAT
import static org.geoward.alert.Scene.LON

@MicronautTest(transactional = false)
class SightingSpec extends Specification {

    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject JdbcOperations jdbc
    @Inject TransactionOperations<Connection> tx
    @Inject FenceCatalog catalog
    @Inject org.geoward.sighting.LatestPositions positions
    @Inject io.micrometer.core.instrument.MeterRegistry meters

    @Shared String token
    Scene scene

    def setup() {
        scene = new Scene(http, jdbc, tx, catalog)
        if (token == null) {
            token = Accounts.token(http, users, hasher, Role.DISPATCHER)
        }
    }

    def "each item of a batch is accepted or rejected on its own, with the reason"() {
        given:
        long ward = scene.subject('WARD')
        long other = scene.subject('VISITOR')
        String track = "cam-7/track-${UUID.randomUUID()}"
        def batch = [
                scene.fix(ward, 0, LON, LAT) + [subjectId: "$ward".toString()],            // 0 ok, id as a string
                scene.fix(ward, 1, LON, 95),                                                  // 1
                scene.fix(ward, 2, LON, LAT) + [lat: "NaN"],                                  // 2
                scene.fix(ward, 3, 29.7, 107.4),                                              // 3 swapped
                scene.fix(ward, 4, LON, LAT) + [time: Instant.now().plus(10, ChronoUnit.MINUTES).toString()], // 4
                scene.fix(999_999_999L, 5, LON, LAT),                                         // 5
                [deviceId: "no-such-imei-${UUID.randomUUID()}".toString(), time: scene.at(6), lon: LON, lat: LAT], // 6
                [subjectId: ward, lon: LON, lat: LAT],                                        // 7 no time
                scene.fix(other, 8, LON, LAT),                                                // 8 ok, id as a number
                [trackId: track, time: scene.at(9), lon: LON, lat: LAT, source: 'CAMERA'],    // 9 ok, a new VISITOR
                scene.fix(ward, 10, LON, LAT) + [accuracy: -3],                               // 10
                scene.fix(ward, 11, LON, LAT) + [source: 'PIGEON'],                           // 11
        ]

        when:
        def response = scene.post(token, batch)
        def body = response.body()

        then:
        response.status == HttpStatus.ACCEPTED
        body.accepted == 3
        body.duplicates == 0
        body.rejected*.index == [1, 2, 3, 4, 5, 6, 7, 10, 11]
        def error = body.rejected.collectEntries { [(it.index): it.error] }
        error[1] == "lat 95 is out of range (-90 to 90)"
        error[2] == "lat NaN is not a finite number"
        error[3] == "lat 107.4 is out of range; did you swap lon and lat?"
        error[4].contains("in the future")
        error[5] == "subject 999999999 does not exist"
        error[6] ==~ /device no-such-imei-.* is not registered/
        error[7].startsWith("time is required")
        error[10].startsWith("accuracy -3 ")
        error[11].contains("not one of GPS, CAMERA, CELL, MANUAL")

        and: 'the good ones are stored, the visitor made on the fly'
        scene.first("SELECT count(*) FROM sighting WHERE subject_id = ?", ward) == 1
        scene.first("SELECT count(*) FROM sighting WHERE subject_id = ?", other) == 1
        scene.first("SELECT count(*) FROM sighting s JOIN subject v ON v.id = s.subject_id WHERE v.track_id = ? AND v.kind = 'VISITOR' AND s.source = 'CAMERA'", track) == 1
    }

    def "a registered device's sightings are stored for its subject"() {
        given:
        long ward = scene.subject('WARD')
        long device = scene.device(ward)

        when:
        def body = scene.post(token, [deviceId: scene.deviceUid(device), time: scene.at(0), lon: LON, lat: LAT]).body()

        then:
        body.accepted == 1
        scene.first("SELECT device_id FROM sighting WHERE subject_id = ?", ward) == device
    }

    def "the same subject and event time is stored once, within a batch and across batches"() {
        given:
        long ward = scene.subject('WARD')

        when:
        def first = scene.post(token, [scene.fix(ward, 0, LON, LAT), scene.fix(ward, 0, LON + 0.001, LAT),
                                       scene.fix(ward, 1, LON, LAT)]).body()
        def second = scene.post(token, [scene.fix(ward, 1, LON, LAT), scene.fix(ward, 2, LON, LAT)]).body()

        then:
        first.accepted == 2
        first.duplicates == 1
        second.accepted == 1
        second.duplicates == 1
        scene.first("SELECT count(*) FROM sighting WHERE subject_id = ?", ward) == 3
    }

    def "a #kind's fix stored by the log's COPY reads back as sent, every field, in its kind's partition"() {
        given:
        long subject = scene.subject(kind)
        long companion = scene.subject('GUARDIAN')
        long device = scene.device(subject)
        double repeats = copyRepeats()
        Instant time = Instant.parse(scene.at(0)).plusNanos(123_456_789)

        when: 'a batch of fixes none of which was stored before: the COPY stores it'
        def body = scene.post(token, [
                [deviceId  : scene.deviceUid(device), time: time.toString(), lon: LON + 0.000_000_1, lat: -LAT,
                 accuracy  : 4.5, speed: 12.25, heading: 359.5, battery: 87, companions: [companion, 42], sos: true,
                 phone     : '+86 139 0000 0000', evidenceUrl: 'https://cam.example/1.jpg', source: 'CAMERA'],
                scene.fix(subject, 1, LON, LAT)]).body()
        List row = scene.rows("""SELECT time, ST_X(pos::geometry), ST_Y(pos::geometry), accuracy, source, speed, heading,
                                        battery, companions::text, sos, phone, evidence_url, device_id, kind,
                                        tableoid::regclass::text, received_at > now() - interval '1 minute'
                                 FROM sighting WHERE subject_id = ? ORDER BY time LIMIT 1""", subject)[0]
        List plain = scene.rows("""SELECT accuracy, speed, heading, battery, companions, sos, phone, evidence_url,
                                          device_id FROM sighting WHERE subject_id = ? ORDER BY time OFFSET 1""", subject)[0]

        then:
        body.accepted == 2
        copyRepeats() == repeats
        (row[0] as java.sql.Timestamp).toInstant() == time.truncatedTo(ChronoUnit.MICROS)
        row[1] == LON + 0.000_000_1
        row[2] == -LAT
        row[3] == 4.5f
        row[4] == 'CAMERA'
        row[5] == 12.25f
        row[6] == 359.5f
        row[7] == 87f
        row[8] == "{$companion,42}".toString()
        row[9] == true
        row[10] == '+86 139 0000 0000'
        row[11] == 'https://cam.example/1.jpg'
        row[12] == device
        row[13] == kind
        row[14].startsWith("sighting_${kind.toLowerCase()}_")
        row[15] == true
        plain == [5f, null, null, null, null, false, null, null, null]

        where:
        kind << ['WARD', 'GUARDIAN', 'OFFICER', 'VISITOR']
    }

    def "a batch that meets a fix stored before is stored by the deduplicating insert, that batch only"() {
        given:
        long ward = scene.subject('WARD')
        scene.post(token, [scene.fix(ward, 0, LON, LAT)])
        double repeats = copyRepeats()

        when:
        def repeated = scene.post(token, [scene.fix(ward, 0, LON, LAT), scene.fix(ward, 1, LON, LAT)]).body()
        def fresh = scene.post(token, [scene.fix(ward, 2, LON, LAT), scene.fix(ward, 3, LON, LAT)]).body()

        then:
        repeated.accepted == 1
        repeated.duplicates == 1
        fresh.accepted == 2
        copyRepeats() == repeats + 1
        scene.rows("SELECT time FROM sighting WHERE subject_id = ? ORDER BY time", ward).size() == 4
        scene.first("SELECT count(DISTINCT seq) FROM sighting WHERE subject_id = ?", ward) == 4
    }

    private double copyRepeats() {
        meters.find('geoward.log.copy.repeats').counter()?.count() ?: 0
    }

    def "a single object is accepted as a batch of one"() {
        given:
        long ward = scene.subject('WARD')

        expect:
        scene.post(token, scene.fix(ward, 0, LON, LAT)).body() == [accepted: 1, duplicates: 0, rejected: []]
        positions.flush() // subject_position is written behind
        scene.first("SELECT ST_AsText(pos::geometry) FROM subject_position WHERE subject_id = ?", ward) == "POINT(107.39 29.7)"
    }

    def "more than 10,000 sightings in one request is refused with 413, saying the limit"() {
        given:
        long ward = scene.subject('WARD')
        def batch = (0..10_000).collect { scene.fix(ward, it / 60.0, LON, LAT) }

        when:
        scene.post(token, batch)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.REQUEST_ENTITY_TOO_LARGE
        e.response.contentType.get().toString() == "application/problem+json"
        e.response.getBody(Map).get().detail.contains("at most 10000")
        scene.first("SELECT count(*) FROM sighting WHERE subject_id = ?", ward) == 0
    }

    def "a full batch of 10,000 is stored in one go"() {
        given:
        long ward = scene.subject('WARD')
        def batch = (0..<10_000).collect { scene.fix(ward, it / 100.0, LON + (it % 7) * 1e-5, LAT) }

        when:
        def body = scene.post(token, batch).body()

        then:
        body.accepted == 10_000
        scene.first("SELECT count(*) FROM sighting WHERE subject_id = ?", ward) == 10_000
        positions.flush() // subject_position is written behind
        scene.first("SELECT time FROM subject_position WHERE subject_id = ?", ward).toInstant() == Instant.parse(scene.at(99.99))
    }

    def "malformed JSON is a 400 problem document"() {
        when:
        http.toBlocking().exchange(HttpRequest.POST("/api/sightings", '[{"subjectId": 1,').contentType("application/json")
                .bearerAuth(token))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        e.response.contentType.get().toString() == "application/problem+json"
        e.response.getBody(Map).get().detail.contains("not valid JSON")
    }

    def "a family account may not post sightings"() {
        given:
        String family = Accounts.token(http, users, hasher, Role.FAMILY)

        when:
        scene.post(family, scene.fix(scene.subject('WARD'), 0, LON, LAT))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.FORBIDDEN
    }

    def "the track lists a subject's sightings in time order, between from and to"() {
        given:
        long ward = scene.subject('WARD')
        scene.post(token, [scene.fix(ward, 3, LON + 0.003, LAT), scene.fix(ward, 1, LON + 0.001, LAT),
                           scene.fix(ward, 2, LON + 0.002, LAT), scene.fix(ward, 0, LON, LAT)])

        when:
        def track = scene.get(token, "/api/subjects/$ward/track?from=${scene.at(1)}&to=${scene.at(3)}")

        then:
        track.type == "FeatureCollection"
        track.features*.properties*.time == [scene.at(1), scene.at(2)]
        track.features*.geometry*.coordinates == [[LON + 0.001, LAT], [LON + 0.002, LAT]]
        track.features[0].properties.accuracy == 5
    }

    def "the track of an unknown subject is 404"() {
        when:
        scene.get(token, "/api/subjects/999999998/track")

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.NOT_FOUND
    }
}
