package org.geoward.notify

import io.micronaut.core.type.Argument
import org.geoward.alert.AlertEvents
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

@MicronautTest(transactional = false)
class NotificationSpec extends Specification {

    @Inject
    AlertEvents alertEvents

    @Inject
    TransactionOperations<Connection> tx

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    PasswordHasher hasher

    Scene scene

    def setup() {
        scene = new Scene(tx, alertEvents, http, hasher)
    }

    List<Map> get(String path, String token) {
        http.toBlocking().retrieve(HttpRequest.GET(path).bearerAuth(token), Argument.listOf(Map))
    }

    /** A ward with a guardian who has a FAMILY account, and a wander alert of the ward. */
    Map family(String name) {
        def ward = scene.subject('WARD', name)
        def phone = Scene.phone()
        def guardian = scene.subject('GUARDIAN', "${name}的家属".toString(), phone)
        scene.guard(ward, guardian)
        def otherPhone = Scene.phone()
        scene.guard(ward, scene.subject('GUARDIAN', "${name}的邻居".toString(), otherPhone))
        def user = scene.user('FAMILY', guardian, [ward])
        def alert = scene.openAlert('WANDER', ward, null)
        [ward: ward, phone: phone, otherPhone: otherPhone, user: user, alert: alert]
    }

    def "two families each see only their own ward's deliveries"() {
        given:
        def a = family('甲')
        def b = family('乙')

        when:
        def seenByA = get("/api/notifications", a.user.token)
        def seenByB = get("/api/notifications", b.user.token)

        then:
        seenByA*.alertId.unique() == [a.alert]
        seenByB*.alertId.unique() == [b.alert]
        seenByA.collect { it.channel }.toSet() == ['SMS', 'IN_APP'].toSet()
        seenByA.findAll { it.channel == 'IN_APP' }*.to == [a.user.username]

        when: 'A asks for B alert by id'
        def probing = get("/api/notifications?alertId=${b.alert}", a.user.token)

        then:
        probing.isEmpty()
    }

    def "phones are masked for families (except their own) and officers, shown to dispatchers; an officer sees only the alerts of their task"() {
        given: "a WANDER alert, which POLICE answers"
        def a = family('丙')
        def dispatcher = scene.user('DISPATCHER').token
        def officer = scene.user('OFFICER', scene.subject('OFFICER', '民警', null, 'POLICE')).token
        def otherUnit = scene.user('OFFICER', scene.subject('OFFICER', '渔政员', null, 'FISHERIES')).token
        def masked = { String p -> p.substring(0, 3) + '****' + p.substring(7) }

        expect:
        get("/api/notifications?alertId=${a.alert}&channel=SMS", a.user.token)*.to.toSet() == [a.phone, masked(a.otherPhone)].toSet()
        get("/api/notifications?alertId=${a.alert}&channel=SMS", officer)*.to.toSet() == [masked(a.phone), masked(a.otherPhone)].toSet()
        get("/api/notifications?alertId=${a.alert}&channel=SMS", dispatcher)*.to.toSet() == [a.phone, a.otherPhone].toSet()
        get("/api/notifications?alertId=${a.alert}", otherUnit).isEmpty()
        !get("/api/notifications", otherUnit).any { it.alertId == a.alert }
    }

    def "a family member's in-app message is unread until they mark it read, and nobody else can"() {
        given:
        def a = family('丁')
        def b = family('戊')
        def unread = get("/api/notifications/unread", a.user.token)
        def id = unread.find { it.alertId == a.alert }.id

        when:
        http.toBlocking().exchange(HttpRequest.POST("/api/notifications/${id}/read", [:]).bearerAuth(b.user.token))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.NOT_FOUND

        when:
        def answer = http.toBlocking().exchange(HttpRequest.POST("/api/notifications/${id}/read", [:]).bearerAuth(a.user.token))

        then:
        answer.status == HttpStatus.NO_CONTENT
        !get("/api/notifications/unread", a.user.token).any { it.id == id }
    }

    def "an unknown channel filter is a 400 naming the parameter"() {
        when:
        get("/api/notifications?channel=PIGEON", scene.user('ADMIN').token)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().errors[0].field == 'channel'
    }
}
