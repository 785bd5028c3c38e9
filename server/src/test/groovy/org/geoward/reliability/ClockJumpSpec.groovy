package org.geoward.reliability

import io.micronaut.context.ApplicationContext
import io.micronaut.context.annotation.Property
import io.micronaut.context.event.ApplicationEventPublisher
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.alert.AlertChanged
import org.geoward.alert.AlertSpecBase
import org.geoward.partition.OfflineCheck
import org.geoward.clock.ShiftableClock
import org.geoward.dispatch.DispatchData
import spock.util.concurrent.PollingConditions

import javax.sql.DataSource
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit

/**
 * The server's wall clock jumps while it runs (the {@link ShiftableClock} of the test context is set forward or back;
 * the monotonic clock and the devices' clocks keep true time): two hours forward must not make every ward that kept
 * reporting OFFLINE, nor every unaccepted assignment late; an hour back must not refuse fixes on time, nor raise
 * anything a second time. The OFFLINE check and the accept-timeout sweeper are run by hand (their schedules are an
 * hour apart here), so each runs exactly when the feature says.
 */
@MicronautTest(transactional = false)
@Property(name = "geoward.offline.check-interval", value = "1h")
@Property(name = "geoward.dispatch.auto", value = "WANDER")
@Property(name = "geoward.dispatch.accept-timeout", value = "10m")
@Property(name = "geoward.dispatch.sweep-interval", value = "1h")
@Property(name = "geoward.dispatch.units.WANDER", value = ClockJumpSpec.UNIT)
class ClockJumpSpec extends AlertSpecBase {
    static final String UNIT = "CLOCK-JUMP-POLICE"

    @Inject ShiftableClock clock
    @Inject OfflineCheck offlineCheck
    @Inject ApplicationContext context
    @Inject DataSource dataSource
    @Inject ApplicationEventPublisher<AlertChanged> publisher

    DispatchData data
    def conditions = new PollingConditions(timeout: 10, delay: 0.1)

    def setup() {
        data = new DispatchData(dataSource)
        data.retire(UNIT)
    }

    def cleanup() {
        clock.reset()
    }

    def "the clock jumps two hours forward: wards that kept reporting are not OFFLINE, the one really silent is"() {
        given: 'three wards offline after 30 minutes: two reported 10 s ago, one 40 minutes ago'
        long reporting = scene.subject('WARD', 30)
        long alsoReporting = scene.subject('WARD', 30)
        long silent = scene.subject('WARD', 30)
        report(silent, trueNow().minus(40, ChronoUnit.MINUTES))
        report(reporting, trueNow().minusSeconds(10))
        report(alsoReporting, trueNow().minusSeconds(10))

        when: 'the server clock jumps two hours ahead, the two report again on true time, and the OFFLINE check runs'
        clock.jump(Duration.ofHours(2))
        report(reporting, trueNow())
        report(alsoReporting, trueNow())
        offlineCheck.run()

        then:
        alerts(reporting) == []
        alerts(alsoReporting) == []
        alerts(silent)*.properties*.type == ['OFFLINE']
    }

    def "the clock jumps two hours forward: the sweeper takes back only the assignment really not accepted in time"() {
        given: 'two officers, and two WANDER alerts dispatched to them: one 11 minutes ago, one just now (timeout 10 min)'
        long first = data.officer(UNIT, LON, LAT)
        def near = DispatchData.offset(LON, LAT, 200, 90)
        long second = data.officer(UNIT, near[0], near[1])
        long late = dispatched(first)
        data.update("UPDATE alert SET assigned_at = assigned_at - interval '11 minutes' WHERE id = ?", [late])
        long fresh = dispatched(second)

        when: 'the server clock jumps two hours ahead and the sweeper runs'
        clock.jump(Duration.ofHours(2))
        sweep()

        then: 'the late one is back to OPEN (nobody else is free), the fresh one is still with its officer'
        timeline(late) == ['OPENED', 'ASSIGNED', 'UNASSIGNED']
        timeline(fresh) == ['OPENED', 'ASSIGNED']
        data.row("SELECT status FROM subject WHERE id = ?", [second]).status == 'BUSY'
    }

    def "the clock jumps an hour back: a fix on time is taken, and nothing is raised or taken back a second time"() {
        given: 'a ward silent for 40 minutes found OFFLINE, a ward reporting, an assignment taken back for being late'
        long silent = scene.subject('WARD', 30)
        long reporting = scene.subject('WARD', 30)
        report(silent, trueNow().minus(40, ChronoUnit.MINUTES))
        report(reporting, trueNow().minusSeconds(10))
        offlineCheck.run()
        long officer = data.officer(UNIT, LON, LAT)
        long late = dispatched(officer)
        data.update("UPDATE alert SET assigned_at = assigned_at - interval '11 minutes' WHERE id = ?", [late])
        sweep()

        when: 'the server clock jumps an hour back; the ward reports on true time (an hour ahead of the server clock)'
        clock.jump(Duration.ofHours(-1))
        Map answer = scene.post(token, [subjectId: reporting, time: trueNow().toString(), lon: LON, lat: LAT]).body()
        offlineCheck.run()
        sweep()

        then: 'the fix is taken, the OFFLINE alert is there once, the assignment was taken back once'
        answer.rejected == []
        answer.accepted == 1
        alerts(silent)*.properties*.type == ['OFFLINE']
        alerts(reporting) == []
        timeline(late) == ['OPENED', 'ASSIGNED', 'UNASSIGNED']
    }

    /** The true time, as the devices' clocks have it (the test JVM's clock does not jump). */
    private static Instant trueNow() {
        Instant.now().truncatedTo(ChronoUnit.MILLIS)
    }

    /** Posts one fix of {@code ward} at {@code time} and checks it was taken. */
    private void report(long ward, Instant time) {
        Map answer = scene.post(token, [subjectId: ward, time: time.toString(), lon: LON, lat: LAT]).body()
        assert answer.accepted == 1: "the fix at $time was not taken: $answer"
    }

    /** A new WANDER alert, dispatched automatically to {@code officer}, the nearest available. */
    private long dispatched(long officer) {
        long alert = data.alert('WANDER', LON, LAT)
        long event = data.event(alert, 'OPENED', Instant.now())
        publisher.publishEvent(new AlertChanged(alert, event))
        conditions.eventually {
            assert data.row("SELECT assigned_officer_id FROM alert WHERE id = ?", [alert]).assigned_officer_id == officer
        }
        alert
    }

    private List<String> timeline(long alertId) {
        data.rows("SELECT action FROM alert_event WHERE alert_id = ? ORDER BY id", [alertId])*.action
    }

    /** One run of the accept-timeout sweeper of this context. */
    private void sweep() {
        context.getBean(Class.forName("org.geoward.dispatch.AcceptTimeouts")).sweep()
    }
}
