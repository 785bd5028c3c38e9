package org.geoward.account

import io.micronaut.core.type.Argument
import io.micronaut.http.HttpMethod
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

/**
 * The account gaps users hit, through the HTTP API: an admin changes and deletes accounts ({@code PUT/DELETE
 * /api/users/{id}}), anyone changes their own password with the old one ({@code PUT /api/me/password}), and staff
 * list the officer units ({@code GET /api/units}).
 */
@MicronautTest(transactional = false)
class UserChangeSpec extends Specification {
    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher

    @Shared String admin

    def setup() {
        admin = admin ?: new Accounts(http, users, hasher).tokenFor(Role.ADMIN)
    }

    Object send(HttpMethod method, String uri, Object body = null, String token = admin) {
        def request = HttpRequest.create(method, uri).bearerAuth(token)
        if (body != null) {
            request.body(body)
        }
        http.toBlocking().exchange(request, Object).body()
    }

    HttpClientResponseException refused(HttpMethod method, String uri, Object body = null, String token = admin) {
        try {
            send(method, uri, body, token)
        } catch (HttpClientResponseException e) {
            return e
        }
        throw new AssertionError("$method $uri was not refused")
    }

    String login(String username, String password) {
        http.toBlocking().retrieve(HttpRequest.POST('/login', [username: username, password: password]), Map).access_token
    }

    Map newUser(String role = 'DISPATCHER', String password = 'first password 1') {
        String username = "user-${UUID.randomUUID().toString().take(8)}".toString()
        send(HttpMethod.POST, '/api/users', [username: username, password: password, role: role]) as Map
    }

    String ward() {
        (send(HttpMethod.POST, '/api/subjects', [kind: 'WARD', name: "ward-${UUID.randomUUID()}".toString()]) as Map).id
    }

    def "an admin makes a dispatcher a family member of two wards and resets the password"() {
        given:
        def user = newUser()
        String w1 = ward()
        String w2 = ward()

        when:
        def changed = send(HttpMethod.PUT, "/api/users/$user.id", [role: 'FAMILY', wardIds: [w1 as long, w2 as long],
                password: 'reset by admin 1']) as Map

        then:
        changed.role == 'FAMILY'
        changed.wardIds == [w1 as long, w2 as long].sort()
        login(user.username, 'reset by admin 1')

        when: 'the old password no longer works'
        login(user.username, 'first password 1')

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.UNAUTHORIZED
    }

    def "a change with #fault is a 400 naming #field"() {
        given:
        def user = newUser()

        when:
        def e = refused(HttpMethod.PUT, "/api/users/$user.id", change)

        then:
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().errors*.field == [field]

        where:
        fault                        | change                          || field
        'an unknown role'            | [role: 'KING']                  || 'role'
        'FAMILY without wards'       | [role: 'FAMILY']                || 'wardIds'
        'a short password'           | [password: 'short']             || 'password'
        'a subject that is missing'  | [subjectId: 999999999]          || 'subjectId'
    }

    def "an admin deletes an account, which can no longer log in; unknown ids are 404"() {
        given:
        def user = newUser()

        when:
        send(HttpMethod.DELETE, "/api/users/$user.id")
        login(user.username, 'first password 1')

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.UNAUTHORIZED
        refused(HttpMethod.DELETE, "/api/users/$user.id").status == HttpStatus.NOT_FOUND
        refused(HttpMethod.PUT, "/api/users/$user.id", [role: 'ADMIN']).status == HttpStatus.NOT_FOUND
    }

    def "an admin cannot delete their own account, and only admins change accounts"() {
        given:
        def me = (send(HttpMethod.GET, '/api/users') as List<Map>).find { it.username == (send(HttpMethod.GET, '/api/me') as Map).username }
        def other = newUser()
        String dispatcher = login(other.username, 'first password 1')

        expect:
        refused(HttpMethod.DELETE, "/api/users/$me.id").status == HttpStatus.CONFLICT
        refused(HttpMethod.PUT, "/api/users/$me.id", [role: 'ADMIN'], dispatcher).status == HttpStatus.FORBIDDEN
        refused(HttpMethod.DELETE, "/api/users/$me.id", null, dispatcher).status == HttpStatus.FORBIDDEN
    }

    def "a user changes their own password with the old one"() {
        given:
        def user = newUser('OFFICER')
        String token = login(user.username, 'first password 1')

        expect: 'the wrong old password, a short or unchanged new one are refused, naming the field'
        refused(HttpMethod.PUT, '/api/me/password', [oldPassword: 'not my password', newPassword: 'second password 2'], token)
                .response.getBody(Map).get().errors*.field == ['oldPassword']
        refused(HttpMethod.PUT, '/api/me/password', [oldPassword: 'first password 1', newPassword: 'short'], token)
                .response.getBody(Map).get().errors*.field == ['newPassword']
        refused(HttpMethod.PUT, '/api/me/password', [oldPassword: 'first password 1', newPassword: 'first password 1'], token)
                .response.getBody(Map).get().errors*.field == ['newPassword']

        when:
        send(HttpMethod.PUT, '/api/me/password', [oldPassword: 'first password 1', newPassword: 'second password 2'], token)

        then:
        login(user.username, 'second password 2')
        refused(HttpMethod.PUT, '/api/me/password', [oldPassword: 'x', newPassword: 'y'], 'not-a-token').status == HttpStatus.UNAUTHORIZED
    }

    def "GET /api/units lists the configured units with their officers by status"() {
        given:
        send(HttpMethod.POST, '/api/subjects', [kind: 'OFFICER', name: "officer-${UUID.randomUUID()}".toString(), unit: 'FISHERIES',
                status: 'OFF_DUTY', travelMode: 'BOAT'])

        when:
        def units = http.toBlocking().retrieve(HttpRequest.GET('/api/units').bearerAuth(admin), Argument.listOf(Map))

        then:
        units*.name.take(2) == ['POLICE', 'FISHERIES']
        units.find { it.name == 'FISHERIES' }.configured
        units.find { it.name == 'FISHERIES' }.offDuty >= 1
        units.every { it.officers == it.available + it.busy + it.offDuty + it.noStatus }
    }
}
