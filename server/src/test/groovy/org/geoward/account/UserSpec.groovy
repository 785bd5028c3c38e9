package org.geoward.account

import io.micronaut.core.type.Argument
import org.geoward.alert.AlertEvents
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.security.authentication.ServerAuthentication
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import java.sql.Connection
import org.geoward.notify.Scene
import org.geoward.security.PasswordHasher
import spock.lang.Specification

@MicronautTest(transactional = false)
class UserSpec extends Specification {

    @Inject
    AlertEvents alertEvents

    @Inject
    TransactionOperations<Connection> tx

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    PasswordHasher hasher

    @Inject
    Visibility visibility

    Scene scene
    String admin

    def setup() {
        scene = new Scene(tx, alertEvents, http, hasher)
        admin = scene.user('ADMIN').token
    }

    def "an admin creates a FAMILY account for a ward; it logs in and the password is never shown"() {
        given:
        def ward = scene.subject('WARD', '刘奶奶')
        def username = "family-${UUID.randomUUID()}".toString()

        when:
        def response = http.toBlocking().exchange(HttpRequest.POST("/api/users",
                [username: username, password: 'long enough 123', role: 'FAMILY', wardIds: [ward]]).bearerAuth(admin), Map)
        def login = http.toBlocking().retrieve(HttpRequest.POST("/login", [username: username, password: 'long enough 123']), Map)
        def listed = http.toBlocking().retrieve(HttpRequest.GET("/api/users").bearerAuth(admin), Argument.listOf(Map))

        then:
        response.status == HttpStatus.CREATED
        response.body().username == username
        response.body().role == 'FAMILY'
        response.body().wardIds == [ward]
        !response.body().containsKey('password')
        !response.body().containsKey('passwordHash')
        login.access_token
        listed.find { it.username == username }.wardIds == [ward]
        !listed.any { it.containsKey('password') || it.containsKey('passwordHash') }
    }

    def "a bad account is refused with 400 naming #field"() {
        given:
        def ward = scene.subject('WARD', '某人')
        def guardian = scene.subject('GUARDIAN', '某家属')
        def body = [username: "u-${UUID.randomUUID()}".toString(), password: 'long enough 123', role: 'FAMILY', wardIds: [ward]]
        def resolved = value instanceof List ? value.collect { it == 'WARD' ? ward : it == 'GUARDIAN' ? guardian : it } : value
        if (value == 'absent') {
            body.remove(key)
        } else {
            body[key] = resolved
        }

        when:
        http.toBlocking().exchange(HttpRequest.POST("/api/users", body).bearerAuth(admin))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().errors[0].field == field

        where:
        key         | value                  || field
        'username'  | 'x'                    || 'username'
        'username'  | 'has space'            || 'username'
        'password'  | 'short'                || 'password'
        'role'      | 'KING'                 || 'role'
        'role'      | 'absent'               || 'role'
        'wardIds'   | []                     || 'wardIds'
        'wardIds'   | ['WARD', 'GUARDIAN']   || 'wardIds[1]'
        'wardIds'   | [Long.MAX_VALUE]       || 'wardIds[0]'
        'subjectId' | Long.MAX_VALUE         || 'subjectId'
    }

    def "a taken username is a 409"() {
        given:
        def body = [username: "dup-${UUID.randomUUID()}".toString(), password: 'long enough 123', role: 'DISPATCHER']
        http.toBlocking().exchange(HttpRequest.POST("/api/users", body).bearerAuth(admin))

        when:
        http.toBlocking().exchange(HttpRequest.POST("/api/users", body).bearerAuth(admin))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.CONFLICT
    }

    def "#role may not create or list accounts"() {
        given:
        def token = scene.user(role).token

        when:
        http.toBlocking().exchange(HttpRequest.POST("/api/users",
                [username: "x-${UUID.randomUUID()}".toString(), password: 'long enough 123', role: 'ADMIN']).bearerAuth(token))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.FORBIDDEN

        when:
        http.toBlocking().exchange(HttpRequest.GET("/api/users").bearerAuth(token))

        then:
        def e2 = thrown(HttpClientResponseException)
        e2.status == HttpStatus.FORBIDDEN

        where:
        role << ['DISPATCHER', 'OFFICER', 'FAMILY']
    }

    def "a family sees their wards, those wards' guardians and themselves; dispatchers see all"() {
        given:
        def ward = scene.subject('WARD', '黄爷爷')
        def guardian = scene.subject('GUARDIAN', '黄家儿子')
        scene.guard(ward, guardian)
        def stranger = scene.subject('WARD', '陌生人')
        def user = scene.user('FAMILY', guardian, [ward])
        def family = new ServerAuthentication(user.username, ['FAMILY'], [uid: user.id, subjectId: guardian])
        def dispatcher = new ServerAuthentication('d', ['DISPATCHER'], [uid: 1L])

        expect:
        visibility.visibleWards(family).get() == [ward, guardian].toSet()
        visibility.canSeeSubject(family, ward)
        !visibility.canSeeSubject(family, stranger)
        visibility.visibleWards(dispatcher).isEmpty()
        visibility.canSeeSubject(dispatcher, stranger)
    }
}
