package org.geoward.reliability

import groovy.json.JsonSlurper

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/**
 * Sends exactly the bytes a test gives to the running server, with java.net.http (no Micronaut client in between to
 * encode, validate or retry), and hands back status, headers, text and, when it parses, the JSON body.
 */
class Raw {
    final URI base
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()

    Raw(URI base) {
        this.base = base
    }

    /** One answer. {@code json} is null when the body is not JSON. */
    static class Answer {
        int status
        Map<String, List<String>> headers
        String text
        def json

        String header(String name) {
            headers.find { it.key.equalsIgnoreCase(name) }?.value?.getAt(0)
        }

        String toString() { "$status ${text?.take(300)}" }
    }

    Answer send(String method, String path, Object body = null, String token = null,
                String contentType = 'application/json', Map<String, String> headers = [:]) {
        def builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
        byte[] bytes = body == null ? null : body instanceof byte[] ? body as byte[] : body.toString().getBytes('UTF-8')
        builder.method(method, bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes))
        if (bytes != null && contentType) {
            builder.header('Content-Type', contentType)
        }
        if (token) {
            builder.header('Authorization', "Bearer $token".toString())
        }
        headers.each { k, v -> builder.header(k, v) }
        HttpResponse<String> r = client.send(builder.build(), HttpResponse.BodyHandlers.ofString())
        def parsed = null
        try {
            parsed = r.body() ? new JsonSlurper().parseText(r.body()) : null
        } catch (ignored) {
        }
        new Answer(status: r.statusCode(), headers: r.headers().map(), text: r.body(), json: parsed)
    }

    Answer get(String path, String token = null) { send('GET', path, null, token) }

    Answer post(String path, Object body, String token = null, String contentType = 'application/json') {
        send('POST', path, body, token, contentType)
    }
}
