package org.geoward.sensor

import io.micronaut.context.annotation.Property
import io.micronaut.core.type.Argument
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.MutableHttpRequest
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.geoward.device.DeviceIngest
import org.geoward.dispatch.DispatchData
import org.geoward.notify.Scene
import org.geoward.security.PasswordHasher
import org.geoward.sighting.Sighting
import spock.lang.Shared
import spock.lang.Specification
import spock.util.concurrent.PollingConditions

import java.sql.Connection
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import javax.sql.DataSource

/**
 * Home sensors through the real HTTP API and the alarm door, against the real PostGIS: registration and who sees
 * it, an alarm becoming a located alert at the home that the family is told of and the nearest officer is sent to,
 * repeats raising nothing new, a door only at night, a tracker's fall, and bad input answered with what and where.
 */
@MicronautTest(transactional = false)
@Property(name = "geoward.dispatch.units.GAS", value = HomeSensorSpec.UNIT)
@Property(name = "geoward.dispatch.units.SMOKE", value = HomeSensorSpec.UNIT)
@Property(name = "geoward.dispatch.units.FALL", value = HomeSensorSpec.UNIT)
@Property(name = "geoward.dispatch.units.DOOR_OPEN", value = HomeSensorSpec.UNIT)
@Property(name = "geoward.dispatch.units.WATER_LEAK", value = HomeSensorSpec.UNIT)
class HomeSensorSpec extends Specification {
    static final String UNIT = "SENSOR-UNIT"
    /** A home in Fuling. */
    static final double HOME_LON = 107.3952, HOME_LAT = 29.7041

    @Inject @Client("/") HttpClient http
    @Inject TransactionOperations<Connection> tx
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource
    @Inject DeviceIngest ingest

    @Shared String dispatcher
    PollingConditions eventually = new PollingConditions(timeout: 15, delay: 0.2)
    Scene scene
    DispatchData data

    def setup() {
        scene = new Scene(tx, http, hasher)
        data = new DispatchData(dataSource)
        data.retire(UNIT)
        dispatcher = dispatcher ?: scene.user('DISPATCHER').token
    }

    /** A fresh ward (with {@code category}) and a guardian with a phone. */
    Map ward(String category = null) {
        String phone = Scene.phone()
        long guardian = scene.subject('GUARDIAN', "女儿-${UUID.randomUUID()}".toString(), phone)
        long ward = scene.value("INSERT INTO subject (kind, name, category) VALUES ('WARD', ?, ?) RETURNING id",
                ["张奶奶-${UUID.randomUUID()}".toString(), category]) as long
        scene.guard(ward, guardian)
        [id: ward, guardian: guardian, phone: phone]
    }

    Map register(long ward, Map body, String token = dispatcher) {
        http.toBlocking().retrieve(HttpRequest.POST("/api/subjects/$ward/sensors", body).bearerAuth(token), Map)
    }

    Map sensor(long ward, String kind, String room = '厨房') {
        register(ward, [kind: kind, uniqueId: "${kind}-${UUID.randomUUID()}".toString(), lon: HOME_LON, lat: HOME_LAT, room: room])
    }

    MutableHttpRequest alarmRequest(Map sensor, Map body, String token = sensor.token) {
        HttpRequest.POST('/ingest/sensors', body).basicAuth(sensor.uniqueId as String, token)
    }

    Map alarm(Map sensor, Map body = [:]) {
        http.toBlocking().retrieve(alarmRequest(sensor, body), Map)
    }

    Map alertOf(def id) {
        http.toBlocking().retrieve(HttpRequest.GET("/api/alerts/$id").bearerAuth(dispatcher), Map)
    }

    /** Yesterday at {@code hourUtc}:00 UTC (Asia/Shanghai is UTC+8: 15:00Z is 23:00 there, 04:00Z is noon). */
    static String yesterdayAt(int hourUtc) {
        Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1)).plus(Duration.ofHours(hourUtc)).toString()
    }

    def "a dispatcher registers a gas sensor at a ward's home; the ward's family sees it, without its token, and other families do not"() {
        given:
        def w = ward()
        def family = scene.user('FAMILY', null, [w.id])
        def stranger = scene.user('FAMILY', null, [ward().id])

        when:
        def created = sensor(w.id, 'GAS')
        def seen = http.toBlocking().retrieve(HttpRequest.GET("/api/subjects/$w.id/sensors").bearerAuth(family.token), Argument.listOf(Map))
        http.toBlocking().retrieve(HttpRequest.GET("/api/subjects/$w.id/sensors").bearerAuth(stranger.token), Argument.listOf(Map))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.NOT_FOUND
        created.token.length() > 20
        created.kind == 'GAS' && created.subjectId == w.id.toString() && created.room == '厨房'
        Math.abs(created.lon - HOME_LON) < 1e-9 && Math.abs(created.lat - HOME_LAT) < 1e-9
        seen*.id == [created.id]
        seen[0].token == null
    }

    def "a family user cannot register a sensor"() {
        given:
        def w = ward()
        def family = scene.user('FAMILY', null, [w.id])

        when:
        register(w.id, [kind: 'GAS', uniqueId: "g-${UUID.randomUUID()}".toString(), lon: HOME_LON, lat: HOME_LAT], family.token)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.FORBIDDEN
    }

    def "a gas alarm becomes a CRITICAL GAS alert at the home, told to the family at once and sent to the nearest officer"() {
        given:
        def w = ward()
        def family = scene.user('FAMILY', null, [w.id])
        def near = DispatchData.offset(HOME_LON, HOME_LAT, 300, 90)
        def far = DispatchData.offset(HOME_LON, HOME_LAT, 2000, 0)
        long nearOfficer = data.officer(UNIT, near[0], near[1])
        data.officer(UNIT, far[0], far[1])
        def gas = sensor(w.id, 'GAS')

        when:
        def receipt = alarm(gas, [alarm: 'GAS'])
        def alert = alertOf(receipt.alertId)

        then:
        receipt.outcome == 'RAISED'
        receipt.officerId == nearOfficer.toString()
        alert.properties.type == 'GAS'
        alert.properties.subjectId == w.id.toString()
        alert.properties.status == 'DISPATCHED'
        alert.properties.assignedOfficerId == nearOfficer.toString()
        alert.properties.detail.contains('燃气报警') && alert.properties.detail.contains('CRITICAL')
        alert.geometry.coordinates[0] == HOME_LON && alert.geometry.coordinates[1] == HOME_LAT
        alert.timeline[0].action == 'OPENED'
        alert.timeline[0].detail.priority == 'CRITICAL'
        alert.timeline[0].detail.room == '厨房'
        alert.timeline*.action.contains('ASSIGNED')

        and: 'the guardian gets the SMS, the family user the in-app message'
        eventually.eventually {
            assert scene.rows("SELECT text FROM sms_message WHERE phone = ?", [w.phone])*.text.any { it.contains('燃气报警') }
        }
        scene.notifications(receipt.alertId as long).any { it.channel == 'IN_APP' && it.recipient == family.id.toString() }
    }

    def "the same alarm repeated while its alert is open raises nothing new"() {
        given:
        def w = ward()
        def smoke = sensor(w.id, 'SMOKE', '卧室')
        def first = alarm(smoke)

        when:
        def again = alarm(smoke)
        def resent = alarm(smoke, [time: alertOf(first.alertId).properties.openedAt])

        then:
        first.outcome == 'RAISED'
        again.outcome == 'REPEATED' && again.alertId == first.alertId
        resent.outcome == 'REPEATED'
        scene.value("SELECT count(*) FROM alert WHERE subject_id = ? AND type = 'SMOKE'", [w.id]) == 1
        scene.value("""SELECT count(*) FROM alert_event e JOIN alert a ON a.id = e.alert_id
                       WHERE a.subject_id = ? AND e.action = 'OPENED'""", [w.id]) == 1
        scene.value("SELECT count(*) FROM notification WHERE alert_id = ? AND channel = 'SMS'", [first.alertId as long]) == 1
    }

    def "after its alert is resolved, the same alarm opens a new one"() {
        given:
        def w = ward()
        def leak = sensor(w.id, 'WATER_LEAK', '卫生间')
        def first = alarm(leak)
        scene.resolve(first.alertId as long, 'VISITED')

        when:
        def second = alarm(leak)

        then:
        second.outcome == 'RAISED' && second.alertId != first.alertId
    }

    def "a door left open at #local Shanghai time #result"() {
        given:
        def w = ward()
        def door = sensor(w.id, 'DOOR_OPEN', '大门')

        when:
        def receipt = alarm(door, [time: yesterdayAt(hourUtc)])

        then:
        receipt.outcome == outcome
        (receipt.alertId != null) == raised
        scene.value("SELECT count(*) FROM alert WHERE subject_id = ? AND type = 'DOOR_OPEN'", [w.id]) == (raised ? 1 : 0)

        where:
        local   | hourUtc || outcome        | raised
        '23:00' | 15      || 'RAISED'       | true
        '05:00' | 21      || 'RAISED'       | true
        '12:00' | 4       || 'NOT_AT_NIGHT' | false
        '06:00' | 22      || 'NOT_AT_NIGHT' | false
        result = raised ? 'raises DOOR_OPEN' : 'raises nothing'
    }

    def "a tracker that reports a fall raises FALL where the fix was taken"() {
        given:
        def w = ward()
        String imei = "35" + String.format("%013d", Math.abs(new Random().nextLong() % 10_000_000_000_000L))
        scene.rows("INSERT INTO device (unique_id, protocol, subject_id) VALUES (?, 'GT06', ?)", [imei, w.id])
        def at = DispatchData.offset(HOME_LON, HOME_LAT, 800, 180)
        def fix = Sighting.builder().device(imei).time(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .at(at[0], at[1]).extras([alarm: 'FALL']).build()

        when:
        ingest.record([fix])

        then:
        eventually.eventually {
            def row = scene.rows("""SELECT ST_X(pos::geometry) AS lon, ST_Y(pos::geometry) AS lat FROM alert
                                    WHERE subject_id = ? AND type = 'FALL'""", [w.id])
            assert row.size() == 1
            assert Math.abs((row[0].lon as double) - at[0]) < 1e-9 && Math.abs((row[0].lat as double) - at[1]) < 1e-9
        }
    }

    def "registering #fault is a 400 naming #field"() {
        given:
        def w = ward(category)
        Map body = [kind: 'GAS', uniqueId: "g-${UUID.randomUUID()}".toString(), lon: HOME_LON, lat: HOME_LAT] + change

        when:
        register(w.id, body)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().errors*.field == [field]

        where:
        fault                    | category | change                     || field
        'an unknown kind'        | null     | [kind: 'FIRE']             || 'kind'
        'no longitude'           | null     | [lon: null]                || 'lon'
        'latitude 95'            | null     | [lat: 95]                  || 'lat'
        'a uniqueId with spaces' | null     | [uniqueId: 'a b']          || 'uniqueId'
        'gas for a MINOR'        | 'MINOR'  | [:]                        || 'kind'
        'a fall detector for a severe mental disorder' | 'SEVERE_MENTAL_DISORDER' | [kind: 'FALL'] || 'kind'
    }

    def "a sensor for a subject that is not a ward is a 400, for none a 404"() {
        given:
        long guardian = scene.subject('GUARDIAN', "g-${UUID.randomUUID()}".toString())

        when:
        register(guardian, [kind: 'GAS', uniqueId: "g-${UUID.randomUUID()}".toString(), lon: HOME_LON, lat: HOME_LAT])

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST

        when:
        register(Long.MAX_VALUE, [kind: 'GAS', uniqueId: "g-${UUID.randomUUID()}".toString(), lon: HOME_LON, lat: HOME_LAT])

        then:
        def missing = thrown(HttpClientResponseException)
        missing.status == HttpStatus.NOT_FOUND
    }

    def "an alarm with #fault is a #status"() {
        given:
        def gas = sensor(ward().id, 'GAS')

        when:
        def request = credentials == 'none' ? HttpRequest.POST('/ingest/sensors', body)
                : alarmRequest(gas, body, credentials == 'wrong' ? 'not-the-token' : gas.token)
        http.toBlocking().retrieve(request, Map)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == status
        field == null || e.response.getBody(Map).get().errors*.field == [field]

        where:
        fault                       | credentials | body                                || status                     | field
        'no credentials'            | 'none'      | [alarm: 'GAS']                      || HttpStatus.UNAUTHORIZED    | null
        'a wrong token'             | 'wrong'     | [alarm: 'GAS']                      || HttpStatus.UNAUTHORIZED    | null
        'another kind of alarm'     | 'right'     | [alarm: 'SMOKE']                    || HttpStatus.BAD_REQUEST     | 'alarm'
        'an unknown alarm'          | 'right'     | [alarm: 'FIRE']                     || HttpStatus.BAD_REQUEST     | 'alarm'
        'a time that is not a time' | 'right'     | [time: 'yesterday']                 || HttpStatus.BAD_REQUEST     | 'time'
        'a time an hour ahead'      | 'right'     | [time: Instant.now().plusSeconds(3600).toString()] || HttpStatus.BAD_REQUEST | 'time'
    }

    def "an alarm from a sensor nobody registered is a 401 that says so"() {
        when:
        http.toBlocking().retrieve(HttpRequest.POST('/ingest/sensors', [alarm: 'GAS']).basicAuth('nobody-' + UUID.randomUUID(), 'x'), Map)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.UNAUTHORIZED
        e.response.getBody(Map).get().detail.contains('not registered')
    }

    def "a removed sensor's alarms are refused; its alerts stay"() {
        given:
        def w = ward()
        def gas = sensor(w.id, 'GAS')
        def receipt = alarm(gas)

        when:
        http.toBlocking().exchange(HttpRequest.DELETE("/api/sensors/$gas.id").bearerAuth(dispatcher))
        alarm(gas)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.UNAUTHORIZED
        alertOf(receipt.alertId).properties.type == 'GAS'
    }
}
