package org.geoward.device

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.UserRepository
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.Timeout

import javax.sql.DataSource
import javax.xml.parsers.DocumentBuilderFactory
import org.w3c.dom.Element
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit

import static org.geoward.device.DeviceWorld.enc

/**
 * The walk from issue 7: a real two-hour walk around Cerknica lake (gpx/cerknicko-jezero.gpx, 296 points, from
 * tkrajina/gpxpy's test files, Apache-2.0) leaves a ward's SAFE circle around its first point. Sent through the OsmAnd
 * endpoint one fix per request, and imported as GPX for another ward, it raises one WANDER at the same fix.
 */
@MicronautTest(transactional = false)
@Stepwise
@Timeout(180)
class WalkSpec extends Specification {
    /** Leaves the circle once (fix 214, 15 m past the band) and never comes back within the band (closest 728 m). */
    static final double RADIUS = 700
    static final double HYSTERESIS = 20

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    UserRepository users

    @Inject
    PasswordHasher hasher

    @Inject
    DeviceListeners listeners

    @Inject
    DataSource dataSource

    @Shared
    Duration shift

    @Shared
    Integer exitIndex

    DeviceWorld world

    def setup() {
        world = new DeviceWorld(http, users, hasher, listeners.osmandAddress().orElseThrow())
    }

    static File gpx() {
        new File(System.getProperty('geoward.shared-data'), 'gpx/cerknicko-jezero.gpx')
    }

    /** The track points: lat, lon, time, read independently of the importer. */
    static List<Map> walk() {
        def factory = DocumentBuilderFactory.newInstance()
        factory.namespaceAware = true
        def nodes = factory.newDocumentBuilder().parse(gpx()).getElementsByTagNameNS("*", "trkpt")
        (0..<nodes.length).collect { i ->
            def e = nodes.item(i) as Element
            [lat : e.getAttribute("lat") as double, lon: e.getAttribute("lon") as double,
             time: Instant.parse(e.getElementsByTagNameNS("*", "time").item(0).textContent.trim())]
        }
    }

    /** Metres from the first point to each point, on the ellipsoid, by PostGIS. */
    List<Double> distancesFromStart(List<Map> points) {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            def ps = c.prepareStatement("""
                    SELECT ST_Distance(ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography,
                                       ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography)
                    FROM unnest(?::float8[], ?::float8[]) WITH ORDINALITY AS p(lon, lat, n) ORDER BY p.n""")
            ps.setDouble(1, points[0].lon)
            ps.setDouble(2, points[0].lat)
            ps.setArray(3, c.createArrayOf("float8", points*.lon as Object[]))
            ps.setArray(4, c.createArrayOf("float8", points*.lat as Object[]))
            def rs = ps.executeQuery()
            def out = []
            while (rs.next()) {
                out << rs.getDouble(1)
            }
            out
        }
    }

    def "the walk leaves the circle once, and clearly"() {
        when:
        def points = walk()
        def d = distancesFromStart(points)
        exitIndex = d.findIndexOf { it > RADIUS + HYSTERESIS } // no accuracy is sent: the band is the hysteresis
        // shift the walk so that it ends a minute ago
        shift = Duration.between(points[-1].time, Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS))

        then:
        points.size() == 296
        exitIndex > 0
        d.every { Math.abs(it - (RADIUS + HYSTERESIS)) > 5 } // no fix is borderline
        d.drop(exitIndex).every { it > RADIUS - HYSTERESIS + 5 } // never comes back in
    }

    def "sent through the OsmAnd endpoint one fix per request, the walk raises one WANDER at the first fix outside"() {
        given:
        def points = walk()
        def ward = world.ward()
        world.safeCircle(ward, points[0].lon, points[0].lat, RADIUS)
        def device = world.device("OSMAND", ward)

        when:
        def statuses = points.collect { p ->
            world.osmandGet("id=${enc(device.uniqueId)}&timestamp=${(p.time + shift).epochSecond}" +
                    "&lat=${p.lat}&lon=${p.lon}&token=${enc(device.token)}").statusCode()
        }
        def wander = world.alerts(ward, "WANDER")

        then:
        statuses.every { it == 200 }
        world.track(ward).size() == 296
        wander.size() == 1
        wander[0].properties.openedAt == (points[exitIndex].time + shift).toString()
    }

    def "imported as GPX for another ward, the same walk raises the same alert at the same fix"() {
        given:
        def points = walk()
        def ward = world.ward()
        world.safeCircle(ward, points[0].lon, points[0].lat, RADIUS)
        def shifted = gpx().getText("UTF-8").replaceAll(/<time>([^<]+)<\/time>/) { all, t ->
            "<time>${Instant.parse(t) + shift}</time>"
        }

        when:
        def reply = http.toBlocking().exchange(HttpRequest.POST("/api/subjects/$ward/import", shifted)
                .contentType("application/gpx+xml").bearerAuth(world.admin.token), Map)
        def wander = world.alerts(ward, "WANDER")

        then:
        reply.status.code == 200
        reply.body().accepted == 296
        reply.body().rejected == []
        wander.size() == 1
        wander[0].properties.openedAt == (points[exitIndex].time + shift).toString()
    }
}
