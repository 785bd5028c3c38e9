package org.geoward.dispatch

import io.micronaut.context.annotation.Property
import io.micronaut.core.type.Argument
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import org.geoward.support.Vincenty
import spock.lang.Shared
import spock.lang.Specification

import javax.sql.DataSource

import static org.geoward.dispatch.DispatchData.LAT
import static org.geoward.dispatch.DispatchData.LON
import static org.geoward.dispatch.DispatchData.offset

@MicronautTest(transactional = false)
@Property(name = "geoward.dispatch.units.WANDER", value = NearestOfficersSpec.POLICE)
@Property(name = "geoward.dispatch.units.DANGER", value = NearestOfficersSpec.POLICE)
@Property(name = "geoward.dispatch.units.LOITER", value = NearestOfficersSpec.FISHERIES)
class NearestOfficersSpec extends Specification {
    static final String POLICE = "NEAREST-POLICE"
    static final String FISHERIES = "NEAREST-FISHERIES"

    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource

    @Shared DispatchData data
    @Shared String dispatcher

    def setup() {
        data = new DispatchData(dataSource)
        data.retire(POLICE)
        data.retire(FISHERIES)
        dispatcher = dispatcher ?: new Accounts(http, users, hasher).tokenFor(Role.DISPATCHER)
    }

    List<Map> nearest(long alertId, int limit = 5, String token = dispatcher) {
        http.toBlocking().retrieve(
                HttpRequest.GET("/api/alerts/$alertId/nearest-officers?limit=$limit").bearerAuth(token), Argument.listOf(Map))
    }

    def "officers at 100 m, 250 m and 1 km in four directions are ranked by geodesic distance, each within 1 m"() {
        given: 'twelve officers around a point in Fuling'
        Map<Long, List<Double>> placed = [:]
        [100, 250, 1000].each { metres ->
            [0, 90, 180, 270].each { bearing ->
                def p = offset(LON, LAT, metres, bearing)
                placed[data.officer(POLICE, p[0], p[1])] = p
            }
        }
        long alert = data.alert("WANDER", LON, LAT)

        when:
        def found = nearest(alert, 12)

        then: 'the order and every distance agree with Vincenty on WGS 84'
        def expected = placed.collectEntries { id, p -> [id, Vincenty.metres(LON, LAT, p[0], p[1])] }
        found*.officerId as Set == expected.keySet()*.toString() as Set
        // east and west of a point are the same distance away, to the micrometre: ties may come in either order,
        // so the ranking is checked as distances that never decrease by more than rounding
        (0..<found.size() - 1).every { i -> expected[found[i].officerId as long] <= expected[found[i + 1].officerId as long] + 0.001 }
        found.each { o ->
            double truth = expected[o.officerId as long]
            assert Math.abs(o.distanceMeters - truth) < 1.0
            assert Math.abs(o.etaSeconds - truth * 3.6 / 5) <= 0.6
            assert o.unit == POLICE && !o.stale && o.fixAgeSeconds in 25..40
        }
        Math.abs(found[0].distanceMeters - 100) < 1.5
        Math.abs(found[11].distanceMeters - 1000) < 10
    }

    def "a stale officer is ranked after fresh ones even when nearer"() {
        given:
        def near = offset(LON, LAT, 50, 0)
        def far = offset(LON, LAT, 800, 90)
        long stale = data.officer(POLICE, near[0], near[1], fixAgeSeconds: 20 * 60)
        long fresh = data.officer(POLICE, far[0], far[1], fixAgeSeconds: 60)
        long alert = data.alert("WANDER", LON, LAT)

        when:
        def found = nearest(alert)

        then:
        found*.officerId == [fresh, stale]*.toString()
        found*.stale == [false, true]
        found[1].fixAgeSeconds in 1195..1230
        Math.abs(found[1].distanceMeters - Vincenty.metres(LON, LAT, near[0], near[1])) < 1.0
    }

    def "BUSY and OFF_DUTY officers are left out, whatever their distance"() {
        given:
        def p = offset(LON, LAT, 100, 0)
        data.officer(POLICE, p[0], p[1], status: 'BUSY')
        data.officer(POLICE, p[0], p[1], status: 'OFF_DUTY')
        long available = data.officer(POLICE, *offset(LON, LAT, 2000, 180))
        long alert = data.alert("DANGER", LON, LAT)

        expect:
        nearest(alert)*.officerId == [available.toString()]
    }

    def "a #type alert calls for #unit officers only"() {
        given:
        def p = offset(LON, LAT, 300, 90)
        long police = data.officer(POLICE, p[0], p[1])
        long fisheries = data.officer(FISHERIES, p[0], p[1] + 0.001)
        long alert = data.alert(type, LON, LAT)

        when:
        def found = nearest(alert)

        then:
        found*.officerId == [unit == POLICE ? police : fisheries]*.toString()
        found[0].unit == unit

        where:
        type     || unit
        "WANDER" || POLICE
        "DANGER" || POLICE
        "LOITER" || FISHERIES
    }

    def "the ETA uses the officer's travel mode: #mode at #kmh km/h"() {
        given:
        def p = offset(LON, LAT, 1000, 0)
        data.officer(POLICE, p[0], p[1], mode: mode)
        long alert = data.alert("WANDER", LON, LAT)

        when:
        def o = nearest(alert)[0]

        then:
        Math.abs(o.etaSeconds - o.distanceMeters * 3.6 / kmh) <= 0.5

        where:
        mode   || kmh
        "WALK" || 5
        "CAR"  || 30
        "BOAT" || 20
    }

    def "the target follows the ward when its latest fix is newer than the alert's"() {
        given: 'an officer 1 km north; the ward has walked from the alert point to 900 m north'
        def officerAt = offset(LON, LAT, 1000, 0)
        long officer = data.officer(POLICE, officerAt[0], officerAt[1])
        long alert = data.alert("WANDER", LON, LAT, openedAt: java.time.Instant.now().minusSeconds(600))
        def wardAt = offset(LON, LAT, 900, 0)
        data.update("""INSERT INTO subject_position (subject_id, time, pos)
                       SELECT subject_id, now(), ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography FROM alert WHERE id = ?""",
                [wardAt[0], wardAt[1], alert])

        when:
        def o = nearest(alert)[0]

        then:
        o.officerId == officer.toString()
        Math.abs(o.distanceMeters - Vincenty.metres(wardAt[0], wardAt[1], officerAt[0], officerAt[1])) < 1.0
    }

    def "#role gets #status for the nearest officers"() {
        given:
        long alert = data.alert("WANDER", LON, LAT)
        String token = new Accounts(http, users, hasher).tokenFor(role)

        when:
        http.toBlocking().exchange(HttpRequest.GET("/api/alerts/$alert/nearest-officers").bearerAuth(token))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == status
        e.response.contentType.get().toString() == "application/problem+json"

        where:
        role        || status
        Role.FAMILY || HttpStatus.FORBIDDEN
    }

    def "a limit outside 1..100 is a 400 naming the field, an unknown alert a 404"() {
        when:
        http.toBlocking().exchange(HttpRequest.GET(path).bearerAuth(dispatcher))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == status

        where:
        path                                              || status
        "/api/alerts/1/nearest-officers?limit=0"          || HttpStatus.BAD_REQUEST
        "/api/alerts/999999999/nearest-officers?limit=5"  || HttpStatus.NOT_FOUND
    }

    def "GET /api/officers shows each officer's position, status and unit"() {
        given:
        def p = offset(LON, LAT, 100, 0)
        long id = data.officer(POLICE, p[0], p[1], mode: 'CAR', name: '李警官')

        when:
        List<Map> officers = http.toBlocking().retrieve(
                HttpRequest.GET("/api/officers?unit=$POLICE&status=AVAILABLE").bearerAuth(dispatcher), Argument.listOf(Map))

        then:
        def o = officers.find { it.id == id.toString() }
        o.name == '李警官'
        o.unit == POLICE
        o.status == 'AVAILABLE'
        o.travelMode == 'CAR'
        o.position.type == 'Point'
        Math.abs(o.position.coordinates[0] - p[0]) < 1e-9 && Math.abs(o.position.coordinates[1] - p[1]) < 1e-9
        o.stale == false
        o.assignedAlertId == null
        officers.every { it.unit == POLICE && it.status == 'AVAILABLE' }
    }

    def "an officer may set their own status but not a colleague's; a dispatcher may set anyone's"() {
        given:
        long me = data.officer(POLICE, LON, LAT)
        long colleague = data.officer(POLICE, LON, LAT)
        def accounts = new Accounts(http, users, hasher)
        String mine = accounts.tokenFor(Role.OFFICER, me)

        when:
        def own = http.toBlocking().retrieve(HttpRequest.PUT("/api/officers/$me/status", [status: 'OFF_DUTY']).bearerAuth(mine), Map)
        def byDispatcher = http.toBlocking().retrieve(
                HttpRequest.PUT("/api/officers/$colleague/status", [status: 'BUSY']).bearerAuth(dispatcher), Map)

        then:
        own.status == 'OFF_DUTY'
        byDispatcher.status == 'BUSY'

        when:
        http.toBlocking().exchange(HttpRequest.PUT("/api/officers/$colleague/status", [status: 'AVAILABLE']).bearerAuth(mine))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.FORBIDDEN
    }

    def "an unknown status is a 400 that names the field"() {
        given:
        long me = data.officer(POLICE, LON, LAT)

        when:
        http.toBlocking().exchange(HttpRequest.PUT("/api/officers/$me/status", [status: 'ASLEEP']).bearerAuth(dispatcher))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().errors[0].field == 'status'
    }
}
