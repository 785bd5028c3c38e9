package org.geoward.dispatch

import io.micronaut.context.annotation.Property
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpResponse
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Specification

import javax.sql.DataSource
import java.sql.Connection
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

import static org.geoward.dispatch.DispatchData.LAT
import static org.geoward.dispatch.DispatchData.LON

/**
 * The SSE stream sends alert_event rows after a cursor in id order, which is only safe when ids are committed in
 * order: every writer of the table takes one advisory lock before its inserts and holds it to commit. These features
 * hold that lock from a transaction of their own, as the alert writer does, and check the dispatch timeline waits.
 */
@MicronautTest(transactional = false)
@Property(name = "geoward.dispatch.units.DANGER", value = TimelineOrderSpec.UNIT)
class TimelineOrderSpec extends Specification {
    static final String UNIT = "ORDER-POLICE"
    /** AlertEvents.LOCK_KEY ("GWAE"). */
    static final long LOCK_KEY = 0x47574145L

    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource

    DispatchData data

    def setup() {
        data = new DispatchData(dataSource)
        data.retire(UNIT)
    }

    def "a dispatch step is not committed before an earlier alert_event writer, so a console's cursor cannot skip one"() {
        given: 'an alert writer that has taken the ordering lock and inserted event n, not yet committed'
        String token = new Accounts(http, users, hasher).tokenFor(Role.DISPATCHER)
        long officer = data.officer(UNIT, LON, LAT)
        long alert = data.alert("DANGER", LON, LAT)
        long other = data.alert("DANGER", LON, LAT)
        Connection writer = DelegatingDataSource.unwrapDataSource(dataSource).connection
        writer.autoCommit = false
        writer.prepareStatement("SELECT pg_advisory_xact_lock($LOCK_KEY)").execute()
        def rs = writer.prepareStatement(
                "INSERT INTO alert_event (alert_id, at, actor, action, status) VALUES ($other, now(), 'system', 'MOVED', 'OPEN') RETURNING id")
                .executeQuery()
        rs.next()
        long pending = rs.getLong(1)

        when: 'a dispatcher assigns an officer meanwhile'
        def assigned = CompletableFuture.supplyAsync {
            http.toBlocking().exchange(
                    HttpRequest.POST("/api/alerts/$alert/assign", [officerId: officer.toString()]).bearerAuth(token), Map)
        }

        then: 'for five seconds no dispatch step above n is visible while n is not'
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5)
        while (System.nanoTime() < deadline) {
            assert data.row("SELECT count(*) AS n FROM alert_event WHERE alert_id = ? AND id > ?", [alert, pending]).n == 0
            Thread.sleep(100)
        }

        when: 'the earlier writer commits'
        writer.commit()
        writer.close()
        HttpResponse<Map> response = assigned.get(30, TimeUnit.SECONDS)

        then: 'the step follows it, with a higher id'
        response.status == HttpStatus.OK
        def steps = data.rows("SELECT id, action FROM alert_event WHERE alert_id = ? ORDER BY id", [alert])
        steps*.action == ['ASSIGNED']
        steps[0].id > pending
    }
}
