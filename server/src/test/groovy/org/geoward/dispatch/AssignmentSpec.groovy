package org.geoward.dispatch

import io.micronaut.context.annotation.Property
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpResponse
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
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors

import static org.geoward.dispatch.DispatchData.LAT
import static org.geoward.dispatch.DispatchData.LON
import static org.geoward.dispatch.DispatchData.offset

@MicronautTest(transactional = false)
@Property(name = "geoward.dispatch.units.DANGER", value = AssignmentSpec.UNIT)
class AssignmentSpec extends Specification {
    static final String UNIT = "ASSIGN-POLICE"

    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource
    @Inject AssignmentService assignments
    @Inject RecordedChanges recorded

    @Shared DispatchData data
    @Shared String dispatcher

    def setup() {
        data = new DispatchData(dataSource)
        data.retire(UNIT)
        dispatcher = dispatcher ?: new Accounts(http, users, hasher).tokenFor(Role.DISPATCHER)
    }

    /** POSTs to an alert's dispatch endpoint; returns [status, body]. */
    List post(long alertId, String step, Object body, String token = dispatcher) {
        try {
            HttpResponse<Map> r = http.toBlocking().exchange(
                    HttpRequest.POST("/api/alerts/$alertId/$step", body).bearerAuth(token), Map)
            return [r.status, r.body()]
        } catch (HttpClientResponseException e) {
            return [e.status, e.response.getBody(Map).orElse(null)]
        }
    }

    String status(long subjectId) {
        data.row("SELECT status FROM subject WHERE id = ?", [subjectId]).status
    }

    List<Map> timeline(long alertId) {
        data.rows("SELECT id, actor, action, status, detail::text AS detail FROM alert_event WHERE alert_id = ? ORDER BY id", [alertId])
    }

    def "assigning an officer dispatches the alert, makes the officer BUSY and puts it on the timeline"() {
        given:
        def p = offset(LON, LAT, 250, 90)
        long officer = data.officer(UNIT, p[0], p[1])
        long alert = data.alert("DANGER", LON, LAT)

        when:
        def (code, body) = post(alert, "assign", [officerId: officer.toString()])

        then:
        code == HttpStatus.OK
        body.status == 'DISPATCHED'
        body.officerId == officer.toString()
        Math.abs(body.distanceMeters - 250) < 2
        data.row("SELECT status, assigned_officer_id FROM alert WHERE id = ?", [alert]) ==
                [status: 'DISPATCHED', assigned_officer_id: officer]
        status(officer) == 'BUSY'
        def steps = timeline(alert)
        steps*.action == ['ASSIGNED']
        steps[0].status == 'DISPATCHED'
        steps[0].actor.startsWith('dispatcher-')
        steps[0].detail.contains("\"officerId\": \"$officer\"")
        recorded.eventIds(alert) == [steps[0].id]
    }

    def "without a body the nearest available officer is assigned"() {
        given:
        def near = offset(LON, LAT, 100, 0)
        def far = offset(LON, LAT, 1000, 0)
        long farOfficer = data.officer(UNIT, far[0], far[1])
        long nearOfficer = data.officer(UNIT, near[0], near[1])
        long alert = data.alert("DANGER", LON, LAT)

        when:
        def (code, body) = post(alert, "assign", "")

        then:
        code == HttpStatus.OK
        body.officerId == nearOfficer.toString()
        status(nearOfficer) == 'BUSY'
        status(farOfficer) == 'AVAILABLE'
    }

    def "a BUSY officer cannot be assigned: 409 with the reason"() {
        given:
        long officer = data.officer(UNIT, LON, LAT)
        long first = data.alert("DANGER", LON, LAT)
        long second = data.alert("DANGER", LON, LAT)
        post(first, "assign", [officerId: officer])

        when:
        def (code, body) = post(second, "assign", [officerId: officer])

        then:
        code == HttpStatus.CONFLICT
        body.detail.contains("is BUSY (assigned to alert $first)")
        data.row("SELECT status FROM alert WHERE id = ?", [second]).status == 'OPEN'
    }

    def "twenty dispatchers assigning one officer to twenty alerts at once: exactly one wins, the others get 409"() {
        given:
        long officer = data.officer(UNIT, LON, LAT)
        List<Long> alerts = (1..20).collect { data.alert("DANGER", LON, LAT) }

        when:
        def results = concurrently(alerts) { long alert -> post(alert, "assign", [officerId: officer.toString()]) }

        then:
        results.count { it[0] == HttpStatus.OK } == 1
        results.count { it[0] == HttpStatus.CONFLICT } == 19
        results.findAll { it[0] == HttpStatus.CONFLICT }.every { it[1].detail.contains("Officer $officer is BUSY") }
        data.row("SELECT count(*) AS n FROM alert WHERE assigned_officer_id = ? AND status = 'DISPATCHED'", [officer]).n == 1
        data.row("SELECT count(*) AS n FROM alert_event WHERE alert_id = ANY(?) AND action = 'ASSIGNED'",
                [alerts as Long[]]).n == 1
        status(officer) == 'BUSY'
    }

    def "twenty dispatchers assigning one alert to twenty officers at once: exactly one wins"() {
        given:
        List<Long> officers = (1..20).collect { data.officer(UNIT, LON, LAT) }
        long alert = data.alert("DANGER", LON, LAT)

        when:
        def results = concurrently(officers) { long officer -> post(alert, "assign", [officerId: officer.toString()]) }

        then:
        results.count { it[0] == HttpStatus.OK } == 1
        results.count { it[0] == HttpStatus.CONFLICT } == 19
        results.findAll { it[0] == HttpStatus.CONFLICT }.every { it[1].detail.contains("Alert $alert is already DISPATCHED") }
        officers.count { status(it) == 'BUSY' } == 1
        timeline(alert)*.action == ['ASSIGNED']
        data.row("SELECT assigned_officer_id FROM alert WHERE id = ?", [alert]).assigned_officer_id.toString() ==
                results.find { it[0] == HttpStatus.OK }[1].officerId
    }

    def "only the assigned officer may accept; then arrival is recorded by hand"() {
        given:
        long officer = data.officer(UNIT, LON, LAT)
        long other = data.officer(UNIT, LON, LAT)
        long alert = data.alert("DANGER", LON, LAT)
        post(alert, "assign", [officerId: officer])
        def tokens = new Accounts(http, users, hasher)
        String mine = tokens.tokenFor(Role.OFFICER, officer)
        String theirs = tokens.tokenFor(Role.OFFICER, other)
        String family = tokens.tokenFor(Role.FAMILY)

        expect:
        post(alert, "accept", "", theirs)[0] == HttpStatus.FORBIDDEN
        post(alert, "accept", "", dispatcher)[0] == HttpStatus.FORBIDDEN
        post(alert, "assign", [officerId: other], family)[0] == HttpStatus.FORBIDDEN
        post(alert, "assign", [officerId: other], mine)[0] == HttpStatus.FORBIDDEN
        post(alert, "accept", "", mine)[0] == HttpStatus.OK
        post(alert, "accept", "", mine)[0] == HttpStatus.CONFLICT
        post(alert, "arrive", "", theirs)[0] == HttpStatus.FORBIDDEN
        post(alert, "arrive", "", mine)[0] == HttpStatus.OK
        timeline(alert)*.action == ['ASSIGNED', 'ACCEPTED', 'ARRIVED']
        timeline(alert)*.actor[1..2].every { it.startsWith('officer-') }
        data.row("SELECT accepted_at IS NOT NULL AND arrived_at IS NOT NULL AS done FROM alert WHERE id = ?", [alert]).done
    }

    def "a fix 80 m away records nothing; a fix 30 m away records the arrival as system"() {
        given:
        long officer = data.officer(UNIT, LON, LAT)
        long alert = data.alert("DANGER", LON, LAT)
        post(alert, "assign", [officerId: officer])
        def far = offset(LON, LAT, 80, 0)
        def near = offset(LON, LAT, 30, 180)
        Instant at = Instant.parse("2026-11-22T08:05:00Z")

        when:
        boolean farArrived = assignments.onOfficerFix(officer, far[0], far[1], at.minusSeconds(60))
        boolean nearArrived = assignments.onOfficerFix(officer, near[0], near[1], at)
        boolean again = assignments.onOfficerFix(officer, near[0], near[1], at.plusSeconds(10))

        then:
        !farArrived
        nearArrived
        !again
        def steps = timeline(alert)
        steps*.action == ['ASSIGNED', 'ARRIVED']
        steps[1].actor == 'system'
        steps[1].detail.contains('"by": "FIX"')
        data.row("SELECT arrived_at FROM alert WHERE id = ?", [alert]).arrived_at.toInstant() == at
    }

    def "resolving the alert makes its officer AVAILABLE again, in the resolving transaction (dispatch/OfficerRelease)"() {
        given:
        long officer = data.officer(UNIT, LON, LAT)
        long alert = data.alert("DANGER", LON, LAT)
        post(alert, "assign", [officerId: officer])

        when: 'the alert package resolves the alert (here: a dispatcher through the API)'
        def (code, body) = post(alert, "resolve", [outcome: 'FOUND'])

        then:
        code == HttpStatus.OK
        status(officer) == 'AVAILABLE'
        timeline(alert)*.action == ['ASSIGNED', 'RESOLVED']
    }

    def "an officer with an unresolved alert cannot make themselves AVAILABLE or OFF_DUTY"() {
        given:
        long officer = data.officer(UNIT, LON, LAT)
        long alert = data.alert("DANGER", LON, LAT)
        post(alert, "assign", [officerId: officer])
        String mine = new Accounts(http, users, hasher).tokenFor(Role.OFFICER, officer)

        when:
        http.toBlocking().exchange(HttpRequest.PUT("/api/officers/$officer/status", [status: 'OFF_DUTY']).bearerAuth(mine))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.CONFLICT
        e.response.getBody(Map).get().detail.contains("assigned to alert $alert")
    }

    def "no available officer of the unit is a 409 that says so"() {
        given:
        long alert = data.alert("DANGER", LON, LAT)

        when:
        def (code, body) = post(alert, "assign", "")

        then:
        code == HttpStatus.CONFLICT
        body.detail == "No officer of unit $UNIT is AVAILABLE for alert $alert"
    }

    private static List concurrently(List<Long> inputs, Closure work) {
        def pool = Executors.newFixedThreadPool(inputs.size())
        def start = new CountDownLatch(1)
        try {
            def futures = inputs.collect { input -> pool.submit({ start.await(); work(input) } as java.util.concurrent.Callable) }
            start.countDown()
            return futures*.get()
        } finally {
            pool.shutdownNow()
        }
    }
}
