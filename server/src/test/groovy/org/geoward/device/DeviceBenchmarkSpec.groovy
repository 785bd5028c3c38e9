package org.geoward.device

import groovy.json.JsonOutput
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.UserRepository
import spock.lang.Requires
import spock.lang.Specification

import javax.sql.DataSource
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.Callable
import java.util.concurrent.Executors

import static org.geoward.device.DeviceWorld.enc

/**
 * Not a test: a bounded load on loopback that prints how many OsmAnd requests, GT06 frames and JSON-batch sightings
 * per second one node takes, in one run. Runs only with GEOWARD_BENCH=1 (see docs/devices.md). Every fix lands in a
 * SAFE-fenced ward, so evaluation does real work.
 */
@MicronautTest(transactional = false)
@Requires({ System.getenv('GEOWARD_BENCH') == '1' })
class DeviceBenchmarkSpec extends Specification {
    static final int CLIENTS = (System.getenv('GEOWARD_BENCH_CLIENTS') ?: '4') as int
    static final int PER_CLIENT = (System.getenv('GEOWARD_BENCH_FIXES') ?: '5000') as int
    static final double LON = 107.39
    static final double LAT = 29.70

    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DeviceListeners listeners
    @Inject EmbeddedServer server
    @Inject DataSource dataSource

    DeviceWorld world

    def setup() {
        world = new DeviceWorld(http, users, hasher, listeners.osmandAddress().orElseThrow())
    }

    long count(List<Long> subjects) {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            def ps = c.prepareStatement("SELECT count(*) FROM sighting WHERE subject_id = ANY(?)")
            ps.setArray(1, c.createArrayOf("bigint", subjects as Object[]))
            def rs = ps.executeQuery()
            rs.next()
            rs.getLong(1)
        }
    }

    List<Long> wards() {
        (0..<CLIENTS).collect { long ward = world.ward(); world.safeCircle(ward, LON, LAT, 300); ward }
    }

    static Instant start() { Instant.now().minus(PER_CLIENT + 600, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.SECONDS) }

    /** A short walk back and forth across the fence edge. */
    static double lat(int i) { LAT + (i % 200) * 0.00003 }

    double timed(String what, long fixes, Closure run) {
        long t0 = System.nanoTime()
        run()
        double seconds = (System.nanoTime() - t0) / 1e9
        double rate = fixes / seconds
        println String.format("BENCH %-40s %7d fixes in %6.2f s = %8.0f fixes/s", what, fixes, seconds, rate)
        rate
    }

    def "OsmAnd requests/s, GT06 frames/s and JSON batch sightings/s on loopback"() {
        given:
        long total = CLIENTS * PER_CLIENT
        def pool = Executors.newFixedThreadPool(CLIENTS)
        def osmandWards = wards()
        def devices = osmandWards.collect { world.device("OSMAND", it) }
        def gt06Wards = wards()
        def imeis = gt06Wards.collect { ward -> def imei = DeviceWorld.imei(); world.device("GT06", ward, imei); imei }
        def jsonWards = wards()
        def raw = java.net.http.HttpClient.newHttpClient()
        def base = start()

        when: 'OsmAnd: each client sends its fixes one request at a time, as the app does'
        double osmand = timed("OsmAnd, ${CLIENTS} clients x ${PER_CLIENT} requests", total) {
            pool.invokeAll((0..<CLIENTS).collect { c ->
                { ->
                    def d = devices[c]
                    for (int i = 0; i < PER_CLIENT; i++) {
                        def r = world.osmandGet("id=${enc(d.uniqueId)}&timestamp=${base.plusSeconds(i).epochSecond}" +
                                "&lat=${lat(i)}&lon=$LON&accuracy=5&token=${enc(d.token)}")
                        assert r.statusCode() == 200
                    }
                } as Callable
            })*.get()
        }

        and: 'GT06: one TCP connection per tracker streams its location frames; timed until all are stored'
        double gt06 = timed("GT06, ${CLIENTS} connections x ${PER_CLIENT} frames", total) {
            def sockets = imeis.collect { imei ->
                def address = listeners.gt06Address().orElseThrow()
                def s = new Socket("127.0.0.1", address.port)
                s.soTimeout = 60_000
                s
            }
            pool.invokeAll((0..<CLIENTS).collect { c ->
                { ->
                    def s = sockets[c]
                    def reader = Thread.start { s.inputStream.readNBytes(10 * (PER_CLIENT + 1)) }
                    def out = new BufferedOutputStream(s.outputStream, 64 * 1024)
                    out.write(DeviceEndToEndSpec.loginFrame(imeis[c], 1))
                    out.flush()
                    for (int i = 0; i < PER_CLIENT; i++) {
                        out.write(DeviceEndToEndSpec.locationFrame(base.plusSeconds(i), lat(i), LON, (i + 2) & 0xFFFF))
                    }
                    out.flush()
                    reader.join()
                } as Callable
            })*.get()
            long deadline = System.currentTimeMillis() + 300_000
            while (count(gt06Wards) < total && System.currentTimeMillis() < deadline) {
                Thread.sleep(20)
            }
            sockets*.close()
        }

        and: 'JSON: POST /api/sightings in batches of 1,000'
        String token = world.admin.token
        URI uri = URI.create("http://127.0.0.1:${server.port}/api/sightings")
        double json = timed("JSON batches of 1,000, ${CLIENTS} clients", total) {
            pool.invokeAll((0..<CLIENTS).collect { c ->
                { ->
                    for (int from = 0; from < PER_CLIENT; from += 1000) {
                        def batch = (from..<Math.min(from + 1000, PER_CLIENT)).collect { i ->
                            [subjectId: jsonWards[c], time: base.plusSeconds(i).toString(), lon: LON, lat: lat(i), accuracy: 5]
                        }
                        def r = raw.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                                .header("Authorization", "Bearer $token")
                                .POST(HttpRequest.BodyPublishers.ofString(JsonOutput.toJson(batch))).build(),
                                HttpResponse.BodyHandlers.ofString())
                        assert r.statusCode() == 202
                    }
                } as Callable
            })*.get()
        }
        println String.format("BENCH ratios: JSON batch / OsmAnd = %.1f, JSON batch / GT06 = %.1f, GT06 / OsmAnd = %.1f",
                json / osmand, json / gt06, gt06 / osmand)

        then:
        count(osmandWards) == total
        count(gt06Wards) == total
        count(jsonWards) == total

        cleanup:
        pool?.shutdownNow()
    }
}
