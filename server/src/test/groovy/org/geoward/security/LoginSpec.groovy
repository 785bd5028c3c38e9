package org.geoward.security

import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import spock.lang.Specification

@MicronautTest(transactional = false)
class LoginSpec extends Specification {

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    UserRepository users

    @Inject
    PasswordHasher hasher

    String username = "dispatcher-${UUID.randomUUID()}"

    def setup() {
        users.save(new User(null, username, hasher.hash("correct horse"), Role.DISPATCHER, null))
    }

    def "the right password gets a signed token that opens the API"() {
        when:
        def login = http.toBlocking().retrieve(
                HttpRequest.POST("/login", [username: username, password: "correct horse"]), Map)
        def me = http.toBlocking().retrieve(HttpRequest.GET("/api/me").bearerAuth(login.access_token), Map)

        then:
        login.access_token.startsWith("eyJhbGciOiJIUzI1NiJ9.")   // HS256, never "none"
        me.username == username
        me.roles == ["DISPATCHER"]
    }

    def "a wrong password is refused with 401 as a problem document"() {
        when:
        http.toBlocking().exchange(HttpRequest.POST("/login", [username: username, password: "wrong"]))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.UNAUTHORIZED
        e.response.contentType.get().toString() == "application/problem+json"
    }

    def "an API call without a token is refused with 401 and says how to log in"() {
        when:
        http.toBlocking().exchange(HttpRequest.GET("/api/me"))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.UNAUTHORIZED
        e.response.contentType.get().toString() == "application/problem+json"
        e.response.getBody(Map).get().detail.contains("POST /login")
    }

    def "a token signed with another key is refused"() {
        given: 'a token whose signature has been tampered with'
        def token = http.toBlocking().retrieve(
                HttpRequest.POST("/login", [username: username, password: "correct horse"]), Map).access_token
        def forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5)

        when:
        http.toBlocking().exchange(HttpRequest.GET("/api/me").bearerAuth(forged))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.UNAUTHORIZED
    }

    def "malformed JSON is a 400 problem document that says where, not a 500"() {
        when:
        http.toBlocking().exchange(HttpRequest.POST("/login", '{"username": "admin",')
                .contentType("application/json"))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        e.response.contentType.get().toString() == "application/problem+json"
        e.response.getBody(Map).get().detail.contains("line 1, column")
    }

    def "the health endpoint answers without a token when the database does"() {
        expect:
        http.toBlocking().retrieve("/health", Map).status == "UP"
    }
}
