package org.geoward.notify

import groovy.json.JsonSlurper
import org.geoward.alert.AlertEvents
import org.geoward.alert.AlertStatus
import io.micronaut.context.annotation.Property
import io.micronaut.core.type.Argument
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import java.sql.Connection
import org.geoward.security.PasswordHasher
import spock.lang.Specification
import spock.util.concurrent.PollingConditions

@MicronautTest(transactional = false)
// retries after 200 ms and 400 ms instead of 1 s and 2 s: the failing receiver's three calls take 0.6 s, not 3 s
@Property(name = "geoward.notify.backoff-base", value = "200ms")
class WebhookSpec extends Specification {

    @Inject
    AlertEvents alertEvents

    @Inject
    TransactionOperations<Connection> tx

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    PasswordHasher hasher

    PollingConditions eventually = new PollingConditions(timeout: 20, delay: 0.2)
    Scene scene
    String admin
    List<Long> subscriptions = []

    def setup() {
        scene = new Scene(tx, alertEvents, http, hasher)
        admin = scene.user('ADMIN').token
    }

    def cleanup() {
        subscriptions.each {
            http.toBlocking().exchange(HttpRequest.DELETE("/api/webhooks/${it}").bearerAuth(admin))
        }
    }

    Map subscribe(String url, String secret = null) {
        def body = secret == null ? [url: url] : [url: url, secret: secret]
        def response = http.toBlocking().exchange(HttpRequest.POST("/api/webhooks", body).bearerAuth(admin), Map)
        assert response.status == HttpStatus.CREATED
        subscriptions << (response.body().id as long)
        response.body()
    }

    def "an alert step arrives at the subscriber as JSON with a valid signature and a stable id"() {
        given:
        def receiver = new Receiver()
        def subscription = subscribe(receiver.url())
        def ward = scene.subject('WARD', '孙奶奶')

        when:
        def alert = scene.openAlert('SOS', ward, null, 107.38, 29.71)

        then:
        eventually.eventually {
            assert receiver.delivered().size() == 1
        }
        def call = receiver.delivered()[0]
        subscription.secret.length() == 64   // generated, shown once
        Receiver.isSigned(call, subscription.secret)
        Math.abs((call.timestamp as long) - System.currentTimeMillis().intdiv(1000)) < 60
        call.id == scene.notifications(alert).find { it.channel == 'WEBHOOK' }.dedupe_key
        def payload = new JsonSlurper().parseText(call.body)
        payload.alertId == alert
        payload.action == 'OPENED'
        payload.type == 'SOS'
        payload.lon == 107.38
        payload.lat == 29.71

        cleanup:
        receiver.close()
    }

    def "a receiver that fails twice gets the message once it recovers, with every attempt recorded"() {
        given:
        def receiver = new Receiver(2)
        def subscription = subscribe(receiver.url(), 'a-secret-of-our-own-choosing')
        def ward = scene.subject('WARD', '周爷爷')

        when:
        def alert = scene.openAlert('OFFLINE', ward, null)

        then:
        eventually.eventually {
            assert receiver.delivered().size() == 1
            assert scene.notifications(alert).find { it.channel == 'WEBHOOK' }.status == 'SENT'
        }
        subscription.secret == 'a-secret-of-our-own-choosing'
        receiver.calls*.answered == [500, 500, 204]
        receiver.calls*.id.unique().size() == 1
        receiver.calls.every { Receiver.isSigned(it, 'a-secret-of-our-own-choosing') }
        def row = scene.notifications(alert).find { it.channel == 'WEBHOOK' }
        row.attempts == 3
        scene.rows("SELECT result, error FROM notification_attempt WHERE notification_id = ? ORDER BY id", [row.id])
                .collect { it.result } == ['FAILED', 'FAILED', 'SENT']

        cleanup:
        receiver.close()
    }

    def "a receiver slow to answer holds up no other delivery: the guardian's SMS goes out while it waits"() {
        given: "a webhook that takes 6 s to answer, and a ward with a guardian's phone"
        def receiver = new Receiver(0, 6_000)
        subscribe(receiver.url())
        def ward = scene.subject('WARD', '慢钩子')
        def phone = Scene.phone()
        scene.guard(ward, scene.subject('GUARDIAN', '女儿', phone))

        when:
        long opened = System.nanoTime()
        def alert = scene.openAlert('SOS', ward, null)

        then: "the SMS is sent while the webhook is still waiting for its answer"
        eventually.eventually {
            assert scene.rows("SELECT 1 FROM sms_message WHERE phone = ?", [phone]).size() == 1
        }
        receiver.delivered().isEmpty()
        (System.nanoTime() - opened) / 1e9 < 5
        scene.notifications(alert).find { it.channel == 'WEBHOOK' }.status == 'PENDING'

        and: "the webhook is delivered once it answers"
        eventually.eventually {
            assert scene.notifications(alert).find { it.channel == 'WEBHOOK' }.status == 'SENT'
        }
        receiver.delivered().size() == 1

        cleanup:
        receiver.close()
    }

    def "a ward out and back within one transaction: the OPENED message carries no outcome, the RESOLVED one RETURNED"() {
        given:
        def receiver = new Receiver()
        subscribe(receiver.url())
        def ward = scene.subject('WARD', '来回')

        when: "the alert is opened and resolved, and both steps appended, in one transaction (as one batch of fixes does)"
        long alert = scene.inTransaction {
            long id = scene.value("""
                INSERT INTO alert (type, status, outcome, subject_id, opened_at, resolved_at, pos, last_fix_at)
                VALUES ('WANDER', 'RESOLVED', 'RETURNED', ?, now(), now(),
                        ST_SetSRID(ST_MakePoint(107.39, 29.70), 4326)::geography, now()) RETURNING id""", [ward]) as long
            scene.append(id, [['system', 'OPENED', AlertStatus.OPEN, [type: 'WANDER']],
                              ['system', 'RESOLVED', AlertStatus.RESOLVED, [outcome: 'RETURNED']]])
            id
        }

        then:
        eventually.eventually {
            assert receiver.delivered().size() == 2
        }
        def payloads = receiver.delivered().collect { new JsonSlurper().parseText(it.body) }.findAll { it.alertId == alert }
        payloads.find { it.action == 'OPENED' }.outcome == null
        payloads.find { it.action == 'RESOLVED' }.outcome == 'RETURNED'

        cleanup:
        receiver.close()
    }

    def "admins list subscriptions without their secrets and delete them"() {
        given:
        def subscription = subscribe("https://example.org/geoward")

        when:
        def listed = http.toBlocking().retrieve(HttpRequest.GET("/api/webhooks").bearerAuth(admin), Argument.listOf(Map))
        http.toBlocking().exchange(HttpRequest.DELETE("/api/webhooks/${subscription.id}").bearerAuth(admin))
        subscriptions.clear()
        def after = http.toBlocking().retrieve(HttpRequest.GET("/api/webhooks").bearerAuth(admin), Argument.listOf(Map))

        then:
        def mine = listed.find { it.id == subscription.id }
        mine.url == "https://example.org/geoward"
        mine.secret == null
        !after.any { it.id == subscription.id }
    }

    def "a subscription needs an http URL, and only admins may manage them"() {
        when:
        http.toBlocking().exchange(HttpRequest.POST("/api/webhooks", [url: "ftp://example.org"]).bearerAuth(admin))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().errors[0].field == 'url'

        when:
        http.toBlocking().exchange(HttpRequest.GET("/api/webhooks").bearerAuth(scene.user('DISPATCHER').token))

        then:
        def forbidden = thrown(HttpClientResponseException)
        forbidden.status == HttpStatus.FORBIDDEN
    }
}
