package org.geoward.device

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import io.micronaut.http.client.HttpClient
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.subject.ApiClient

import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Instant

/**
 * What the device specs share: an admin talking to the real API, wards, SAFE circle fences and registered devices
 * made through it, and raw HTTP to the OsmAnd listener (as the Traccar Client app sends it). Every name and unique id
 * is new, so specs can run again against the kept database.
 */
class DeviceWorld {
    private final Map<Role, ApiClient> clients = [:]

    final HttpClient http
    final UserRepository users
    final PasswordHasher hasher
    final InetSocketAddress osmand
    final java.net.http.HttpClient raw = java.net.http.HttpClient.newHttpClient()

    DeviceWorld(HttpClient http, UserRepository users, PasswordHasher hasher, InetSocketAddress osmand) {
        this.http = http
        this.users = users
        this.hasher = hasher
        this.osmand = osmand
    }

    ApiClient as(Role role) {
        synchronized (clients) {
            clients.computeIfAbsent(role) { ApiClient.loggedIn(http, users, hasher, it) }
        }
    }

    ApiClient getAdmin() { as(Role.ADMIN) }

    static String unique(String prefix) { "$prefix-${UUID.randomUUID()}".toString() }

    static String imei() {
        "35" + String.format("%013d", Math.abs(UUID.randomUUID().mostSignificantBits) % 10_000_000_000_000L)
    }

    /** A WARD that the OFFLINE job leaves alone. */
    long ward(String name = unique("ward")) {
        def reply = admin.post("/api/subjects", [kind: "WARD", name: name, offlineMinutes: 100_000])
        assert reply.status == 201: reply.body
        reply.body.id as long
    }

    /** Registers a device; answers the registration (id, token for HTTP protocols). */
    Map device(String protocol, long subjectId, String uniqueId = unique("app")) {
        def reply = admin.post("/api/devices", [uniqueId: uniqueId, protocol: protocol, subjectId: subjectId])
        assert reply.status == 201: reply.body
        reply.body as Map
    }

    /** A SAFE circle fence of {@code radius} metres for one subject. */
    long safeCircle(long subjectId, double lon, double lat, double radius) {
        def reply = admin.post("/api/fences", [type: "Feature", geometry: [type: "Point", coordinates: [lon, lat]],
                properties: [name: unique("safe"), kind: "SAFE", radiusMeters: radius, subjects: [subjectId]]])
        assert reply.status == 201: reply.body
        reply.body.id as long
    }

    List<Map> track(long subjectId) {
        def from = Instant.now().minusSeconds(7 * 24 * 3600)
        admin.get("/api/subjects/$subjectId/track?from=$from&to=${Instant.now().plusSeconds(600)}").body.features as List<Map> ?: []
    }

    List<Map> alerts(long subjectId, String type = null) {
        def all = (admin.get("/api/alerts?subjectId=$subjectId").body.features ?: []) as List<Map>
        type ? all.findAll { it.properties.type == type } : all
    }

    List<Map> unknownDevices() {
        admin.get("/api/devices/unknown").body as List<Map>
    }

    /** An OsmAnd request the way the app sends it: GET with the query string. */
    HttpResponse<String> osmandGet(String query) {
        raw.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:${osmand.port}/?$query")).GET().build(),
                HttpResponse.BodyHandlers.ofString())
    }

    HttpResponse<String> osmandPostJson(String query, Map body) {
        raw.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:${osmand.port}/${query ? '?' + query : ''}"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonOutput.toJson(body))).build(),
                HttpResponse.BodyHandlers.ofString())
    }

    static String enc(Object value) { URLEncoder.encode(value.toString(), "UTF-8") }

    /** Waits up to five seconds for {@code condition} (asynchronous listeners record after they answer). */
    static <T> T eventually(Closure<T> condition) {
        long deadline = System.currentTimeMillis() + 5_000
        T value = condition()
        while (!value && System.currentTimeMillis() < deadline) {
            Thread.sleep(50)
            value = condition()
        }
        value
    }

    static Object json(String text) { new JsonSlurper().parseText(text) }
}
