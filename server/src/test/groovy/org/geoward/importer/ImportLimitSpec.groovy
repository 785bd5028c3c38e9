package org.geoward.importer

import groovy.json.JsonSlurper
import io.micronaut.context.annotation.Property
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import java.lang.management.ManagementFactory
import java.time.Instant
import java.time.temporal.ChronoUnit
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.subject.ApiClient
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Timeout

/**
 * Track imports that claim or send more than the limit ({@code micronaut.server.max-request-size}, here 1 MB so the
 * spec is quick; 20 MB in production): a Content-Length of 1 GB is refused with 413 before a byte of the body is
 * read, naming the limit; a chunked body that streams past the limit is cut off there with 413 naming the limit, and
 * the good lines read before it are kept; the heap does not grow with the claim. Raw sockets, so the claim can be a
 * lie.
 */
@MicronautTest(transactional = false)
@Property(name = "micronaut.server.max-request-size", value = "1MB")
@Timeout(90)
class ImportLimitSpec extends Specification {
    static final long ONE_GB = 1L << 30

    @Inject @Client("/") HttpClient http
    @Inject EmbeddedServer server
    @Inject UserRepository users
    @Inject PasswordHasher hasher

    @Shared ApiClient admin

    def setup() {
        admin = admin ?: ApiClient.loggedIn(http, users, hasher, Role.ADMIN)
    }

    long ward() {
        admin.post("/api/subjects", [kind: "WARD", name: "import-limit-${UUID.randomUUID()}", offlineMinutes: 100_000]).body.id as long
    }

    int trackSize(long subjectId) {
        (admin.get("/api/subjects/$subjectId/track?from=2000-01-01T00:00:00Z&limit=50000").body.features ?: []).size()
    }

    /** CSV lines of good points, one a second from three days ago, starting at point {@code from}. */
    static String lines(int from, int count) {
        def t0 = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
        (from..<from + count).collect { "${107.3 + (it % 1000) * 1e-5},29.7,${t0.plusSeconds(it).epochSecond}\n" }.join('')
    }

    Socket open(long ward, String contentType, String lengthHeader) {
        def socket = new Socket(server.host, server.port)
        socket.soTimeout = 20_000
        socket.outputStream.write(("POST /api/subjects/$ward/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: $contentType\r\n" +
                "Authorization: Bearer ${admin.token}\r\n$lengthHeader\r\n\r\n").getBytes("US-ASCII"))
        socket.outputStream.flush()
        socket
    }

    /** Reads the answer (status line, headers, body) until the server closes or 20 s pass. */
    static Map answer(Socket socket) {
        def text = new StringBuilder()
        def buffer = new byte[8192]
        try {
            int n
            while ((n = socket.inputStream.read(buffer)) > 0) {
                text.append(new String(buffer, 0, n, "UTF-8"))
                if (complete(text.toString())) {
                    break
                }
            }
        } catch (IOException ignored) {
            // closed or reset once the answer is out
        }
        String all = text.toString()
        int split = all.indexOf("\r\n\r\n")
        String body = split < 0 ? "" : all.substring(split + 4)
        [status: all ? all.substring(9, 12) as int : -1, head: split < 0 ? all : all.substring(0, split), body: body]
    }

    static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n")
        if (split < 0) {
            return false
        }
        def length = (text.substring(0, split) =~ /(?i)content-length: (\d+)/)
        length.find() && text.length() - split - 4 >= (length.group(1) as int)
    }

    static long usedHeap() {
        System.gc()
        ManagementFactory.memoryMXBean.heapMemoryUsage.used
    }

    def "a #format import claiming 1 GB is refused with 413 naming the limit, before its body is read"() {
        given:
        def ward = ward()
        long heapBefore = usedHeap()

        when: 'the headers claim 1 GB, and only a few lines follow'
        long t0 = System.nanoTime()
        def socket = open(ward, type, "Content-Length: $ONE_GB")
        try {
            socket.outputStream.write(start.getBytes("UTF-8"))
            socket.outputStream.flush()
        } catch (IOException ignored) {
            // the server may already have answered and closed
        }
        def reply = answer(socket)
        long millis = (System.nanoTime() - t0) / 1_000_000
        socket.close()

        then: 'a quick 413 that says what the limit is, and nothing stored'
        reply.status == 413
        reply.head.toLowerCase().contains("content-type: application/problem+json")
        reply.body.contains("import limit of 1048576 bytes")
        !(reply.body =~ /io\.micronaut|java\./)
        millis < 5_000
        trackSize(ward) == 0
        usedHeap() - heapBefore < 64L << 20

        where:
        format | type                  | start
        'CSV'  | 'text/csv'            | "lon,lat,time\n" + lines(0, 10)
        'GPX'  | 'application/gpx+xml' | '<?xml version="1.0"?><gpx version="1.1"><trk><trkseg>'
    }

    def "a chunked CSV that streams past the limit is cut off with 413 naming the limit, and the good lines before it are kept"() {
        given:
        def ward = ward()
        long heapBefore = usedHeap()

        when: 'chunks of 1,000 good lines (about 40 kB) are sent until the server answers, at most 4 MB'
        def socket = open(ward, 'text/csv', "Transfer-Encoding: chunked")
        long sent = 0
        int points = 0
        try {
            while (sent < 4L << 20) {
                byte[] chunk = (points == 0 ? "lon,lat,time\n" : "").concat(lines(points, 1_000)).getBytes("UTF-8")
                socket.outputStream.write("${Integer.toHexString(chunk.length)}\r\n".getBytes("US-ASCII"))
                socket.outputStream.write(chunk)
                socket.outputStream.write("\r\n".getBytes("US-ASCII"))
                socket.outputStream.flush()
                sent += chunk.length
                points += 1_000
                if (socket.inputStream.available() > 0) {
                    break
                }
            }
            socket.outputStream.write("0\r\n\r\n".getBytes("US-ASCII"))
            socket.outputStream.flush()
        } catch (IOException ignored) {
            // the server answered and closed mid-stream
        }
        def reply = answer(socket)
        socket.close()
        int stored = trackSize(ward)
        println "sent ${sent >> 10} kB ($points points); answer ${reply.status} ${reply.body.take(400)}; stored $stored"

        then: 'a 413 problem that names the limit and says how much was kept'
        reply.status == 413
        reply.head.toLowerCase().contains("content-type: application/problem+json")
        reply.body.contains("import limit of 1048576 bytes")
        reply.body =~ /the \d+ points read before the limit were kept \(accepted \d+/
        !(reply.body =~ /io\.micronaut|java\./)

        and: 'the points read before the limit are stored (none past it), the heap did not grow with the stream'
        stored > 0
        stored <= 1_048_576 / 20  // a line is over 20 bytes
        reply.body.contains("accepted $stored,")
        usedHeap() - heapBefore < 64L << 20
    }
}
