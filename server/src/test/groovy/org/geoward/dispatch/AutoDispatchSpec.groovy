package org.geoward.dispatch

import io.micronaut.context.annotation.Property
import io.micronaut.context.event.ApplicationEventPublisher
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.alert.AlertChanged
import spock.lang.Specification
import spock.util.concurrent.PollingConditions

import javax.sql.DataSource
import java.time.Instant

import static org.geoward.dispatch.DispatchData.LAT
import static org.geoward.dispatch.DispatchData.LON
import static org.geoward.dispatch.DispatchData.offset

@MicronautTest(transactional = false)
@Property(name = "geoward.dispatch.auto", value = "WANDER")
@Property(name = "geoward.dispatch.accept-timeout", value = "2s")
@Property(name = "geoward.dispatch.sweep-interval", value = "300ms")
@Property(name = "geoward.dispatch.units.WANDER", value = AutoDispatchSpec.UNIT)
class AutoDispatchSpec extends Specification {
    static final String UNIT = "AUTO-POLICE"

    @Inject DataSource dataSource
    @Inject ApplicationEventPublisher<AlertChanged> publisher

    DispatchData data
    def conditions = new PollingConditions(timeout: 10, delay: 0.1)

    def setup() {
        data = new DispatchData(dataSource)
        data.retire(UNIT)
        // This context's sweeper takes back every unaccepted automatic assignment of an automatic type in the database, so an
        // alert left DISPATCHED by another spec would take this spec's officers. Close them all first.
        data.update("UPDATE alert SET status = 'RESOLVED', resolved_at = now() WHERE status <> 'RESOLVED'", [])
    }

    /** Opens an alert the way the alert package does: the row, its OPENED event, then AlertChanged. */
    long open(String type) {
        long alert = data.alert(type, LON, LAT)
        long event = data.event(alert, 'OPENED', Instant.now())
        publisher.publishEvent(new AlertChanged(alert, event))
        return alert
    }

    List<Map> timeline(long alertId) {
        data.rows("SELECT action, actor, status, detail->>'officerId' AS officer FROM alert_event WHERE alert_id = ? ORDER BY id", [alertId])
    }

    String status(long subjectId) {
        data.row("SELECT status FROM subject WHERE id = ?", [subjectId]).status
    }

    def "an opened WANDER alert goes to the nearest officer, and to the next nearest when the first does not accept in time"() {
        given:
        def near = offset(LON, LAT, 100, 0)
        def next = offset(LON, LAT, 250, 90)
        long first = data.officer(UNIT, near[0], near[1])
        long second = data.officer(UNIT, next[0], next[1])

        when:
        long alert = open('WANDER')

        then: 'the nearest is assigned at once'
        conditions.within(3) {
            assert timeline(alert)*.action == ['OPENED', 'ASSIGNED']
            assert timeline(alert)[1].officer == first.toString()
            assert timeline(alert)[1].actor == 'system'
        }

        and: 'after the accept timeout it is taken back and offered to the next nearest'
        conditions.eventually {
            assert timeline(alert)*.action == ['OPENED', 'ASSIGNED', 'UNASSIGNED', 'REASSIGNED']
        }
        timeline(alert)[2].officer == first.toString()
        timeline(alert)[3].officer == second.toString()
        status(first) == 'AVAILABLE'
        status(second) == 'BUSY'
        data.row("SELECT status, assigned_officer_id FROM alert WHERE id = ?", [alert]) ==
                [status: 'DISPATCHED', assigned_officer_id: second]

        when: 'the second officer accepts'
        data.update("UPDATE alert SET accepted_at = now() WHERE id = ?", [alert])
        Thread.sleep(2500)

        then: 'nothing is taken back any more'
        timeline(alert)*.action == ['OPENED', 'ASSIGNED', 'UNASSIGNED', 'REASSIGNED']
    }

    def "when nobody else is available the alert goes back to OPEN for a dispatcher"() {
        given:
        long only = data.officer(UNIT, *offset(LON, LAT, 100, 0))

        when:
        long alert = open('WANDER')

        then:
        conditions.eventually {
            assert timeline(alert)*.action == ['OPENED', 'ASSIGNED', 'UNASSIGNED']
        }
        data.row("SELECT status, assigned_officer_id FROM alert WHERE id = ?", [alert]) ==
                [status: 'OPEN', assigned_officer_id: null]
        status(only) == 'AVAILABLE'
    }

    def "an alert type not configured for automatic dispatch is left to the dispatcher"() {
        given:
        data.officer(UNIT, *offset(LON, LAT, 100, 0))

        when:
        long alert = open('DANGER')
        Thread.sleep(1000)

        then:
        timeline(alert)*.action == ['OPENED']
    }

    def "a dispatcher's own assignment of an automatic type is never taken back by the accept-timeout sweeper"() {
        given: 'a WANDER alert a dispatcher assigned by hand (not the system), unaccepted past the timeout'
        long officer = data.officer(UNIT, *offset(LON, LAT, 100, 0))
        data.officer(UNIT, *offset(LON, LAT, 200, 0))
        long alert = data.alert('WANDER', LON, LAT, status: 'DISPATCHED', officer: officer)
        data.update("UPDATE subject SET status = 'BUSY' WHERE id = ?", [officer])
        data.update("UPDATE alert SET assigned_at = now() - interval '1 minute' WHERE id = ?", [alert])
        data.event(alert, 'ASSIGNED', Instant.now().minusSeconds(60), 'DISPATCHED', 'dispatcher-on-duty')

        and: 'an automatic assignment, also expired, beside it'
        long auto = data.officer(UNIT, *offset(LON, LAT, 300, 0))
        long autoAlert = data.alert('WANDER', LON, LAT, status: 'DISPATCHED', officer: auto)
        data.update("UPDATE subject SET status = 'BUSY' WHERE id = ?", [auto])
        data.update("UPDATE alert SET assigned_at = now() - interval '1 minute' WHERE id = ?", [autoAlert])
        data.event(autoAlert, 'ASSIGNED', Instant.now().minusSeconds(60), 'DISPATCHED', 'system')

        expect: 'the automatic one is taken back (so the sweeper ran) ...'
        conditions.eventually {
            assert timeline(autoAlert)*.action.contains('UNASSIGNED')
        }

        and: '... and the one a dispatcher chose is left alone'
        timeline(alert)*.action == ['ASSIGNED']
        data.row("SELECT status, assigned_officer_id FROM alert WHERE id = ?", [alert]) ==
                [status: 'DISPATCHED', assigned_officer_id: officer]
        status(officer) == 'BUSY'
    }
}
