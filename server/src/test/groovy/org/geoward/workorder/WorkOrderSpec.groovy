package org.geoward.workorder

import io.micronaut.context.annotation.Property
import io.micronaut.core.type.Argument
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.dispatch.DispatchData
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Shared
import spock.lang.Specification

import javax.sql.DataSource
import java.time.Duration
import java.time.Instant

/**
 * Work orders through the HTTP API: the loop found → analysed → ordered → followed up → feedback → evaluated on the
 * alert lifecycle and its one timeline, raised from an alert, deadlines by category, bad input, and the report per
 * grid and unit.
 */
@MicronautTest(transactional = false)
@Property(name = "geoward.work-orders.deadline-hours.ENVIRONMENT", value = "12")
class WorkOrderSpec extends Specification {
    static final String UNIT = "WO-UNIT"

    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource

    @Shared DispatchData data
    @Shared String dispatcher

    def setup() {
        data = new DispatchData(dataSource)
        data.retire(UNIT)
        dispatcher = dispatcher ?: new Accounts(http, users, hasher).tokenFor(Role.DISPATCHER)
    }

    Map api(String method, String uri, Object body = null, String token = dispatcher) {
        def request = method == 'GET' ? HttpRequest.GET(uri) : HttpRequest.create(io.micronaut.http.HttpMethod.valueOf(method), uri).body(body ?: [:])
        http.toBlocking().retrieve(request.bearerAuth(token), Map)
    }

    HttpClientResponseException refused(String method, String uri, Object body, String token = dispatcher) {
        try {
            api(method, uri, body, token)
        } catch (HttpClientResponseException e) {
            return e
        }
        throw new AssertionError("$method $uri was not refused")
    }

    /** An officer of UNIT with a fix at lon, lat and a logged-in account; returns [id, token]. */
    List officer(double lon = DispatchData.LON, double lat = DispatchData.LAT) {
        long id = data.officer(UNIT, lon, lat)
        [id, new Accounts(http, users, hasher).tokenFor(Role.OFFICER, id)]
    }

    def "an officer's report goes found → analysed → ordered → followed up → feedback → evaluated on one timeline"() {
        given:
        def (long officerId, String officerToken) = officer()

        when: 'the officer reports from the app'
        def order = api('POST', '/api/work-orders', [category: 'FACILITY', description: '江边护栏断了', lon: DispatchData.LON,
                lat: DispatchData.LAT, photos: ['https://example.org/railing.jpg']], officerToken)

        then:
        order.status == 'OPEN' && order.source == 'APP' && order.subjectId == officerId.toString()
        order.photos == ['https://example.org/railing.jpg']
        Duration.between(Instant.parse(order.openedAt), Instant.parse(order.deadline)) == Duration.ofHours(48)

        when: 'the dispatcher analyses it, orders it to the unit and assigns the officer; the officer follows up and answers'
        String id = order.id
        def analysed = api('POST', "/api/work-orders/$id/analysis", [category: 'SAFETY', severity: 'HIGH'])
        api('POST', "/api/work-orders/$id/order", [unit: UNIT])
        api('POST', "/api/alerts/$id/assign", [officerId: officerId.toString()])
        api('POST', "/api/work-orders/$id/follow-up", [note: '已到现场, 设置警示带'], officerToken)
        def answered = api('POST', "/api/work-orders/$id/feedback", [result: '护栏已修复', photo: 'https://example.org/fixed.jpg'], officerToken)
        def evaluated = api('POST', "/api/work-orders/$id/evaluation", [rating: 4, comment: '及时'], officerToken)

        then: 'analysis recategorised it (deadline 24 h) and acknowledged it; feedback resolved it within the deadline'
        analysed.status == 'ACKNOWLEDGED' && analysed.category == 'SAFETY' && analysed.severity == 'HIGH'
        Duration.between(Instant.parse(analysed.openedAt), Instant.parse(analysed.deadline)) == Duration.ofHours(24)
        answered.status == 'RESOLVED' && answered.result == '护栏已修复' && answered.resultPhoto == 'https://example.org/fixed.jpg'
        evaluated.rating == 4 && evaluated.deadlineMet == true && evaluated.unit == UNIT && evaluated.officerId == officerId.toString()

        and: 'every step is on the alert timeline with who'
        evaluated.timeline*.action == ['OPENED', 'ANALYSED', 'ORDERED', 'ASSIGNED', 'FOLLOWED_UP', 'FEEDBACK', 'RESOLVED', 'EVALUATED']
        evaluated.timeline.find { it.action == 'FOLLOWED_UP' }.detail.note == '已到现场, 设置警示带'
        evaluated.timeline.find { it.action == 'EVALUATED' }.detail == [rating: 4, deadlineMet: true, comment: '及时']
        evaluated.timeline.findAll { it.action in ['OPENED', 'FOLLOWED_UP', 'FEEDBACK', 'EVALUATED'] }*.actor.unique().size() == 1

        and: 'it is an alert like any other, and the officer is free again'
        api('GET', "/api/alerts/$id").properties.type == 'WORK_ORDER'
        data.row('SELECT status FROM subject WHERE id = ?', [officerId]).status == 'AVAILABLE'
    }

    def "raised from an alert, a work order lies at the alert and both timelines say so"() {
        given:
        long alert = data.alert('WANDER', DispatchData.LON, DispatchData.LAT)

        when:
        def order = api('POST', "/api/alerts/$alert/work-order", [category: 'CARE'])

        then:
        order.source == 'ALERT' && order.sourceAlertId == alert.toString()
        Math.abs(order.lon - DispatchData.LON) < 1e-9 && Math.abs(order.lat - DispatchData.LAT) < 1e-9
        data.row("SELECT detail ->> 'workOrderId' AS wo FROM alert_event WHERE alert_id = ? AND action = 'WORK_ORDER_RAISED'",
                [alert]).wo == order.id
    }

    def "a #category work order is due in #hours h"() {
        given:
        def (long officerId, String token) = officer()

        when:
        def order = api('POST', '/api/work-orders', [category: category, lon: DispatchData.LON, lat: DispatchData.LAT], token)

        then:
        Duration.between(Instant.parse(order.openedAt), Instant.parse(order.deadline)) == Duration.ofHours(hours)

        where:
        category       || hours
        'WATER_SAFETY' || 4
        'CARE'         || 24
        'ENVIRONMENT'  || 12   // configured: geoward.work-orders.deadline-hours.ENVIRONMENT
        'OTHER'        || 72
    }

    def "a report with #fault is a 400 naming #field"() {
        given:
        def (long officerId, String token) = officer()
        Map body = [category: 'SAFETY', lon: 107.39, lat: 29.70] + change

        when:
        def e = refused('POST', '/api/work-orders', body, token)

        then:
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().errors*.field == [field]

        where:
        fault               | change                          || field
        'no category'       | [category: null]                || 'category'
        'a made-up category'| [category: 'NOISE']             || 'category'
        'lon 200'           | [lon: 200]                      || 'lon'
        'no lat'            | [lat: null]                     || 'lat'
        'a photo not a URL' | [photos: ['C:\\photo.jpg']]     || 'photos[0]'
        'an unknown subject'| [subjectId: '999999999']        || 'subjectId'
    }

    def "a dispatcher without a subject of their own must name one"() {
        when:
        def e = refused('POST', '/api/work-orders', [category: 'OTHER', lon: 107.39, lat: 29.70], dispatcher)

        then:
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().errors*.field == ['subjectId']
    }

    def "evaluation waits for feedback, happens once, rates 1 to 5; only the assigned officer answers"() {
        given:
        def (long officerId, String token) = officer()
        def (long otherId, String otherToken) = officer()
        String id = api('POST', '/api/work-orders', [category: 'OTHER', lon: 107.39, lat: 29.70], token).id

        expect:
        refused('POST', "/api/work-orders/$id/evaluation", [rating: 3], dispatcher).status == HttpStatus.CONFLICT
        refused('POST', "/api/work-orders/$id/feedback", [result: 'done'], otherToken).status == HttpStatus.FORBIDDEN
        refused('POST', "/api/work-orders/$id/analysis", [severity: 'HIGH'], token).status == HttpStatus.FORBIDDEN

        when:
        api('POST', "/api/work-orders/$id/feedback", [result: 'done'])

        then:
        refused('POST', "/api/work-orders/$id/evaluation", [rating: 6], dispatcher).status == HttpStatus.BAD_REQUEST
        refused('POST', "/api/work-orders/$id/evaluation", [rating: 5], otherToken).status == HttpStatus.FORBIDDEN
        api('POST', "/api/work-orders/$id/evaluation", [rating: 5], dispatcher).rating == 5
        refused('POST', "/api/work-orders/$id/evaluation", [rating: 2], dispatcher).status == HttpStatus.CONFLICT
        refused('POST', "/api/work-orders/$id/follow-up", [note: 'late'], dispatcher).status == HttpStatus.CONFLICT
        refused('GET', '/api/work-orders/999999999', null).status == HttpStatus.NOT_FOUND
    }

    def "the report counts work orders per grid and unit, with deadlines met and missed and the mean rating"() {
        given: 'a grid somewhere no other feature reports, and three work orders in it'
        def (lon, lat) = freeSpot()
        def (long officerId, String token) = officer(lon, lat)
        double d = 0.003
        String name = "工单网格-${UUID.randomUUID().toString().take(4)}".toString()
        String gridId = api('POST', '/api/grids/import', [type: 'FeatureCollection', features: [[type: 'Feature',
                geometry: [type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]]],
                properties: [name: name, unit: UNIT]]]], new Accounts(http, users, hasher).tokenFor(Role.ADMIN)).created[0].id
        List<String> ids = (1..3).collect { api('POST', '/api/work-orders', [category: 'OTHER', lon: lon, lat: lat], token).id as String }
        api('POST', "/api/work-orders/${ids[0]}/feedback", [result: 'done'])
        api('POST', "/api/work-orders/${ids[0]}/evaluation", [rating: 3])
        api('POST', "/api/work-orders/${ids[1]}/feedback", [result: 'done'])
        api('POST', "/api/work-orders/${ids[1]}/evaluation", [rating: 5])
        // the third stays open past its deadline
        data.update("UPDATE work_order SET deadline = now() - interval '1 hour' WHERE alert_id = ?", [ids[2] as long])

        when:
        def report = api('GET', '/api/reports/work-orders')
        def listed = http.toBlocking().retrieve(HttpRequest.GET("/api/work-orders?gridId=$gridId").bearerAuth(dispatcher), Argument.listOf(Map))

        then:
        def row = report.rows.find { it.gridId == gridId }
        row.gridName == name && row.unit == UNIT
        row.count == 3 && row.resolved == 2 && row.deadlineMet == 2 && row.deadlineMissed == 1
        row.meanRating == 4.0
        row.medianResolveSeconds >= 0
        listed*.id as Set == ids as Set
        listed.find { it.id == ids[2] }.deadlineMet == false
        listed.find { it.id == ids[2] }.gridName == name
    }

    /** A place 12-40 km out with no grid or work order of an earlier feature or run within 1 km. */
    private List<Double> freeSpot() {
        def random = new Random()
        data.unclaimedPlace(1000) {
            DispatchData.offset(DispatchData.LON, DispatchData.LAT, 12_000 + random.nextInt(28_000), random.nextInt(360))
        }
    }
}
