package org.geoward.subject

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import io.micronaut.http.HttpRequest
import io.micronaut.http.MutableHttpRequest
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.exceptions.HttpClientResponseException
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts

/**
 * Talks JSON to the running server as one user and hands back status, content type and the parsed body, for 2xx
 * and error answers alike, so specs can state what they expect of both in one {@code then:} block.
 */
class ApiClient {
    final HttpClient http
    final String token

    ApiClient(HttpClient http, String token) {
        this.http = http
        this.token = token
    }

    /** What the server answered: status code, content type and the body parsed from JSON (or null). */
    static class Reply {
        int status
        String contentType
        def body

        /** The field named by the first error of a problem document. */
        String getField() {
            body?.errors?.getAt(0)?.field
        }
    }

    /** Creates a user with {@code role}, logs in through {@code POST /login} and talks as that user. */
    static ApiClient loggedIn(HttpClient http, UserRepository users, PasswordHasher hasher, Role role) {
        new ApiClient(http, Accounts.token(http, users, hasher, role))
    }

    Reply get(String path) { send(HttpRequest.GET(path)) }

    Reply post(String path, body) { send(HttpRequest.POST(path, json(body))) }

    Reply put(String path, body) { send(HttpRequest.PUT(path, json(body))) }

    Reply delete(String path) { send(HttpRequest.DELETE(path)) }

    private static String json(body) {
        body instanceof String ? body : JsonOutput.toJson(body)
    }

    private Reply send(MutableHttpRequest request) {
        request.contentType("application/json")
        if (token) {
            request.bearerAuth(token)
        }
        try {
            def response = http.toBlocking().exchange(request, String)
            return reply(response.status.code, response.contentType.map { it.toString() }.orElse(null),
                    response.body())
        } catch (HttpClientResponseException e) {
            return reply(e.status.code, e.response.contentType.map { it.toString() }.orElse(null),
                    e.response.getBody(String).orElse(null))
        }
    }

    private static Reply reply(int status, String contentType, String text) {
        new Reply(status: status, contentType: contentType,
                body: text ? new JsonSlurper().parseText(text) : null)
    }
}
