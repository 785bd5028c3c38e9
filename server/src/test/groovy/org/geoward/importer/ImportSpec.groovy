package org.geoward.importer

import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.runtime.server.EmbeddedServer
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.subject.ApiClient
import spock.lang.Specification
import spock.lang.Timeout

import java.time.Instant
import java.time.temporal.ChronoUnit

/** POST /api/subjects/{id}/import with real GPX files (tkrajina/gpxpy test files, Apache-2.0) and CSV. */
@MicronautTest(transactional = false)
@Timeout(120)
class ImportSpec extends Specification {
    private static final Map<Role, ApiClient> CLIENTS = [:]

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    EmbeddedServer server

    @Inject
    UserRepository users

    @Inject
    PasswordHasher hasher

    ApiClient as(Role role) {
        CLIENTS.computeIfAbsent(role) { ApiClient.loggedIn(http, users, hasher, it) }
    }

    long ward() {
        as(Role.ADMIN).post("/api/subjects", [kind: "WARD", name: "import-${UUID.randomUUID()}", offlineMinutes: 100_000])
                .body.id as long
    }

    static File gpx(String name) {
        new File(System.getProperty('geoward.shared-data'), "gpx/$name")
    }

    Map post(long subjectId, String contentType, body, Role role = Role.ADMIN) {
        try {
            def reply = http.toBlocking().exchange(HttpRequest.POST("/api/subjects/$subjectId/import", body)
                    .contentType(contentType).bearerAuth(as(role).token), Map)
            [status: reply.status.code, body: reply.body()]
        } catch (HttpClientResponseException e) {
            [status: e.status.code, body: e.response.getBody(Map).orElse(null)]
        }
    }

    int trackSize(long subjectId) {
        as(Role.ADMIN).get("/api/subjects/$subjectId/track?from=2000-01-01T00:00:00Z&limit=50000").body.features.size()
    }

    def "a GPX file whose first points have no time: those are rejected by line, the rest become sightings"() {
        given:
        def file = gpx("korita-zbevnica.gpx")
        def lines = file.readLines()
        // independently: the lines of trkpt elements with no <time> before their </trkpt>
        def timeless = []
        def open = null
        def timed = false
        lines.eachWithIndex { l, i ->
            if (l.contains("<trkpt")) { open = i + 1; timed = false }
            if (l.contains("<time>") && open) { timed = true }
            if (l.contains("</trkpt>")) { if (!timed) { timeless << open }; open = null }
        }
        def ward = ward()

        when:
        def reply = post(ward, "application/gpx+xml", file.bytes)

        then:
        reply.status == 200
        timeless.size() > 0
        timeless[0] == lines.findIndexOf { it.contains("<trkpt") } + 1 // the first point
        reply.body.rejected*.line == timeless
        reply.body.rejected.every { it.error.contains("no time") }
        reply.body.rejectedCount == timeless.size()
        reply.body.accepted == 871 - timeless.size()
        reply.body.duplicates == 0
        trackSize(ward) == reply.body.accepted
    }

    def "importing the same file again stores nothing twice"() {
        given:
        def ward = ward()
        def file = gpx("korita-zbevnica.gpx")
        def first = post(ward, "application/gpx+xml", file.bytes)

        when:
        def again = post(ward, "application/gpx+xml", file.bytes)

        then:
        first.body.accepted > 100
        again.body.accepted == 0
        again.body.duplicates == first.body.accepted + first.body.duplicates
    }

    def "a real track from a device whose clock was never set (1901) is refused point by point, saying why"() {
        given:
        def ward = ward()

        when:
        def reply = post(ward, "application/gpx+xml", gpx("Mojstrovka.gpx").bytes)

        then:
        reply.status == 200
        reply.body.accepted == 0
        reply.body.rejectedCount == 184
        reply.body.rejected[0].error.contains("before 1980-01-06T00:00:00Z (the GPS epoch)")
    }

    def "CSV #how: good lines become sightings, bad ones are listed by line"() {
        given:
        def ward = ward()
        def t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
        def rows = [
                "107.39,29.70,${t0}",
                "107.391,29.701,${t0.plusSeconds(60).epochSecond},8",
                "",
                "107.392,29.702,",                      // no time
                "107.393,95,${t0.plusSeconds(120)}",   // lat out of range
                "abc,29.70,${t0.plusSeconds(180)}",      // not a number
                "107.394,29.704,${t0.plusSeconds(240).toEpochMilli()}"]
        def text = ((header ? [header] : []) + rows).join("\n")
        def offset = header ? 1 : 0

        when:
        def reply = post(ward, "text/csv", text)
        def track = as(Role.ADMIN).get("/api/subjects/$ward/track?from=${t0.minusSeconds(1)}").body.features

        then:
        reply.status == 200
        reply.body.accepted == 3
        reply.body.rejected*.line == [4, 5, 6].collect { it + offset }
        reply.body.rejected[0].error.contains("time")
        reply.body.rejected[1].error.contains("lat 95")
        track*.properties*.time == [t0, t0.plusSeconds(60), t0.plusSeconds(240)]*.toString()
        track[1].properties.accuracy == 8

        where:
        how                 | header
        "with a header"     | "lon,lat,time,accuracy"
        "without a header"  | null
    }

    def "a #role may #outcome"() {
        expect:
        post(ward(), "text/csv", "107.39,29.70,${Instant.now().minusSeconds(60)}", role).status == status

        where:
        role            || status | outcome
        Role.DISPATCHER || 200    | "import"
        Role.OFFICER    || 403    | "not import"
        Role.FAMILY     || 403    | "not import"
    }

    def "an unknown subject is 404 and an unknown format 415"() {
        expect:
        post(999_999_999L, "text/csv", "1,2,2020-01-01T00:00:00Z").status == 404
        post(ward(), "application/json", '{"a":1}').status == 415
    }

    def "a big CSV streams through in batches"() {
        given:
        def ward = ward()
        def t0 = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
        def text = new StringBuilder("lon,lat,time\n")
        25_000.times { text.append(107.3 + (it % 1000) * 1e-5).append(',').append(29.7).append(',')
                .append(t0.plusSeconds(it).epochSecond).append('\n') }

        when:
        def reply = post(ward, "text/csv", text.toString())

        then:
        reply.status == 200
        reply.body.accepted == 25_000
        reply.body.rejected == []
    }

    def "a running import's progress shows in GET /api/imports while the upload is still coming in"() {
        given: "a CSV of 6,000 points whose upload stops after the first 3,000 until the test has looked"
        def ward = ward()
        def t0 = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
        def line = { int i -> "${107.3 + i * 1e-5},29.7,${t0.plusSeconds(i).epochSecond}\n" }
        def first = "lon,lat,time\n" + (0..<3000).collect(line).join('')
        def rest = (3000..<6000).collect(line).join('') + "999,29.7,${t0.plusSeconds(9999).epochSecond}\n"
        def body = (first + rest).getBytes("US-ASCII")
        def socket = new Socket(server.host, server.port)
        socket.soTimeout = 60_000
        def out = socket.outputStream
        out.write(("POST /api/subjects/$ward/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n" +
                "Authorization: Bearer ${as(Role.ADMIN).token}\r\nContent-Length: ${body.length}\r\n" +
                "Connection: close\r\n\r\n").getBytes("US-ASCII"))

        when: "the first half is sent"
        out.write(body, 0, first.length())
        out.flush()
        Map running = null
        for (int i = 0; i < 200 && !(running?.pointsRead >= 3000); i++) {
            running = as(Role.ADMIN).get("/api/imports").body.find { it.subjectId == ward }
            sleep(50)
        }

        then: "the run is listed as running with the first batches stored and the bytes read so far"
        running.state == "RUNNING"
        running.pointsRead >= 3000 && running.pointsRead < 6000
        running.accepted >= 3000
        running.bytesRead >= first.length() - 64 * 1024 // what the server has read of the stream may lag a buffer
        running.startedBy != null
        running.format == "CSV"
        running.totalBytes == body.length
        running.percent > 0 && running.percent < 100

        when: "the rest arrives, with one bad line"
        out.write(body, first.length(), body.length - first.length())
        out.flush()
        def answer = socket.inputStream.text
        socket.close()
        def reply = new groovy.json.JsonSlurper().parseText(answer.substring(answer.indexOf("\r\n\r\n") + 4)) as Map
        def done = as(Role.ADMIN).get("/api/imports/${reply.importId}").body

        then:
        reply.accepted == 6000
        reply.rejected*.line == [6002L]
        done.state == "DONE"
        done.pointsRead == 6001
        done.accepted == 6000
        done.rejected == 1
        answer.startsWith("HTTP/1.1 200")
        done.bytesRead == body.length
        done.percent == 100
        done.finishedAt != null
    }

    def "imports are for admins and dispatchers; an unknown import is 404"() {
        expect:
        as(Role.ADMIN).get("/api/imports/987654321").status == 404
        as(Role.DISPATCHER).get("/api/imports").status == 200
        as(Role.FAMILY).get("/api/imports").status == 403
        as(Role.OFFICER).get("/api/imports").status == 403
    }
}
