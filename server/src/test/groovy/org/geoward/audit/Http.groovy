package org.geoward.audit

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/**
 * A plain JDK HTTP client for the privacy specs: any method, any header, and answers read as JSON, bytes, or only as
 * far as the headers (for the SSE stream). Answers of every status come back; nothing throws on a 4xx.
 */
class Http {
    final URI base
    final String token
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()

    Http(URL base, String token) {
        this.base = base.toURI()
        this.token = token
    }

    static class Answer {
        int status
        byte[] bytes
        String contentType

        def getJson() { bytes ? new JsonSlurper().parse(bytes) : null }
    }

    Answer get(String path, Map<String, String> headers = [:]) { send("GET", path, null, headers) }

    Answer post(String path, body) { send("POST", path, body) }

    Answer put(String path, body) { send("PUT", path, body) }

    Answer delete(String path) { send("DELETE", path, null) }

    /** Sends and reads the whole answer; an event stream only to its headers. */
    Answer send(String method, String path, body, Map<String, String> headers = [:], String type = "application/json") {
        def builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
        if (token) {
            builder.header("Authorization", "Bearer $token")
        }
        headers.each { k, v -> builder.header(k, v) }
        if (body != null) {
            builder.header("Content-Type", type)
            builder.method(method, HttpRequest.BodyPublishers.ofString(body instanceof String ? body : JsonOutput.toJson(body)))
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody())
        }
        HttpResponse<InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream())
        String answered = response.headers().firstValue("Content-Type").orElse(null)
        byte[] bytes
        try (InputStream stream = response.body()) {
            bytes = answered?.startsWith("text/event-stream") ? new byte[0] : stream.readAllBytes()
        }
        new Answer(status: response.statusCode(), bytes: bytes, contentType: answered)
    }
}
