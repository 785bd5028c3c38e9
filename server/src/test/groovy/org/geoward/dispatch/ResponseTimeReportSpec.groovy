package org.geoward.dispatch

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
import spock.lang.Shared
import spock.lang.Specification

import javax.sql.DataSource
import java.time.Instant

import static org.geoward.dispatch.DispatchData.LAT
import static org.geoward.dispatch.DispatchData.LON

@MicronautTest(transactional = false)
class ResponseTimeReportSpec extends Specification {
    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource

    @Shared String unit = "REPORT-${UUID.randomUUID()}".toString()
    @Shared String otherUnit = "REPORT-OTHER-${UUID.randomUUID()}".toString()
    @Shared Instant day = Instant.parse("2026-03-01T00:00:00Z")
    @Shared String dispatcher
    @Shared boolean seeded

    /**
     * Five WANDER alerts of {@code unit}: acknowledged after 10, 20, 30, 40, 100 s; four arrived after 60, 120, 180,
     * 240 s; resolved after 300, 600, 900, 1200, 3000 s as FOUND, FOUND, FOUND, RETURNED_HOME, FALSE_ALARM; two
     * LOITER alerts of the same unit; one WANDER alert of another unit.
     */
    def setup() {
        dispatcher = dispatcher ?: new Accounts(http, users, hasher).tokenFor(Role.DISPATCHER)
        if (seeded) {
            return
        }
        def data = new DispatchData(dataSource)
        long officer = data.officer(unit, LON, LAT, status: 'BUSY')
        long other = data.officer(otherUnit, LON, LAT, status: 'BUSY')
        def wander = [[10, 60, 300, 'FOUND'], [20, 120, 600, 'FOUND'], [30, 180, 900, 'FOUND'],
                      [40, 240, 1200, 'RETURNED_HOME'], [100, null, 3000, 'FALSE_ALARM']]
        wander.eachWithIndex { w, i -> seed(data, 'WANDER', officer, day.plusSeconds(3600 * i), *w) }
        seed(data, 'LOITER', officer, day.plusSeconds(50_000), 5, 400, 1000, 'WARNED')
        seed(data, 'LOITER', officer, day.plusSeconds(60_000), 15, null, 2000, 'LEFT_BEFORE_ARRIVAL')
        seed(data, 'WANDER', other, day.plusSeconds(70_000), 1, 2, 3, 'FOUND')
        seeded = true
    }

    private static void seed(DispatchData data, String type, long officer, Instant opened, Integer ack, Integer arrive,
                             Integer resolve, String outcome) {
        long alert = data.alert(type, LON, LAT, status: 'RESOLVED', officer: officer, outcome: outcome,
                openedAt: opened, resolvedAt: opened.plusSeconds(resolve))
        data.event(alert, 'OPENED', opened)
        data.event(alert, 'ACKNOWLEDGED', opened.plusSeconds(ack), 'ACKNOWLEDGED', 'dispatcher')
        data.event(alert, 'ASSIGNED', opened.plusSeconds(ack + 1), 'DISPATCHED', 'dispatcher')
        if (arrive != null) {
            data.event(alert, 'ARRIVED', opened.plusSeconds(arrive), 'DISPATCHED', 'officer')
        }
        data.event(alert, 'RESOLVED', opened.plusSeconds(resolve), 'RESOLVED', 'officer')
    }

    String query(String u = unit) {
        "/api/reports/response-times?from=${day}&to=${day.plusSeconds(86_400)}&unit=$u"
    }

    def "the report gives count, median and p90 of each step and the outcomes, per unit and alert type"() {
        when:
        Map report = http.toBlocking().retrieve(HttpRequest.GET(query()).bearerAuth(dispatcher), Map)

        then:
        report.rows*.alertType == ['WANDER', 'LOITER']   // in the order of AlertType
        report.rows.every { it.unit == unit }
        def wander = report.rows[0]
        wander.count == 5
        wander.acknowledge == [count: 5, medianSeconds: 30.0, p90Seconds: 76.0]     // 40 + 0.6 * (100 - 40)
        wander.arrive == [count: 4, medianSeconds: 150.0, p90Seconds: 222.0]        // 180 + 0.7 * (240 - 180)
        wander.resolve == [count: 5, medianSeconds: 900.0, p90Seconds: 2280.0]      // 1200 + 0.6 * (3000 - 1200)
        wander.outcomes == [FALSE_ALARM: 1, FOUND: 3, RETURNED_HOME: 1]
        def loiter = report.rows[1]
        loiter.count == 2
        loiter.acknowledge == [count: 2, medianSeconds: 10.0, p90Seconds: 14.0]
        loiter.arrive == [count: 1, medianSeconds: 400.0, p90Seconds: 400.0]
        loiter.outcomes == [LEFT_BEFORE_ARRIVAL: 1, WARNED: 1]
    }

    def "Accept: text/csv gives the same figures as CSV"() {
        when:
        def response = http.toBlocking().exchange(
                HttpRequest.GET(query()).bearerAuth(dispatcher).accept("text/csv"), String)
        def lines = response.body().readLines()

        then:
        response.contentType.get().toString().startsWith("text/csv")
        lines[0] == "unit,alertType,count,acknowledgeCount,acknowledgeMedianSeconds,acknowledgeP90Seconds," +
                "arriveCount,arriveMedianSeconds,arriveP90Seconds,resolveCount,resolveMedianSeconds,resolveP90Seconds,outcomes"
        lines[1] == "$unit,WANDER,5,5,30.0,76.0,4,150.0,222.0,5,900.0,2280.0,FALSE_ALARM=1;FOUND=3;RETURNED_HOME=1"
        lines.size() == 3
    }

    def "the unit filter keeps other units out"() {
        when:
        Map report = http.toBlocking().retrieve(HttpRequest.GET(query(otherUnit)).bearerAuth(dispatcher), Map)

        then:
        report.rows.size() == 1
        report.rows[0].unit == otherUnit
        report.rows[0].acknowledge.medianSeconds == 1.0
    }

    def "#role may not read the report"() {
        given:
        String token = new Accounts(http, users, hasher).tokenFor(role)

        when:
        http.toBlocking().exchange(HttpRequest.GET(query()).bearerAuth(token))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.FORBIDDEN

        where:
        role << [Role.FAMILY, Role.OFFICER]
    }

    def "a bad from is a 400 naming the field"() {
        when:
        http.toBlocking().exchange(HttpRequest.GET("/api/reports/response-times?from=yesterday").bearerAuth(dispatcher))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().errors[0].field == 'from'
    }
}
