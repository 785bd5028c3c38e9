package org.geoward.evaluate

import static org.geoward.evaluate.Tracks.*

import groovy.json.JsonSlurper
import org.apache.sis.referencing.CommonCRS
import org.apache.sis.referencing.GeodeticCalculator
import org.locationtech.jts.geom.Coordinate
import org.locationtech.jts.geom.Geometry
import spock.lang.Shared
import spock.lang.Specification

/** Checks fence depths against independent geodesic computations (Apache SIS on WGS 84) and oracle cases. */
class FenceIndexSpec extends Specification {
    static final File DATA = new File(System.getProperty('geoward.shared-data', '/work/shared/data'))

    @Shared GeodeticCalculator sis = GeodeticCalculator.create(CommonCRS.WGS84.geographic())

    double geodesic(double lon1, double lat1, double lon2, double lat2) {
        sis.setStartGeographicPoint(lat1, lon1)
        sis.setEndGeographicPoint(lat2, lon2)
        sis.geodesicDistance
    }

    /** Returns [lon, lat] at the given geodesic distance and azimuth (degrees clockwise from north). */
    List<Double> travel(double lon, double lat, double azimuth, double meters) {
        sis.setStartGeographicPoint(lat, lon)
        sis.startingAzimuth = azimuth
        sis.geodesicDistance = meters
        def end = sis.endPoint
        [end.getOrdinate(1), end.getOrdinate(0)]
    }

    /** Returns the smallest SIS distance from the point to the geometry's boundary densified to about 1 m. */
    double boundaryDistance(Geometry g, double lon, double lat) {
        def cs = (g.dimension == 2 ? g.boundary : g).coordinates
        double best = Double.MAX_VALUE
        for (int i = 0; i + 1 < cs.length; i++) {
            double len = Geodesy.distanceMeters(cs[i].x, cs[i].y, cs[i + 1].x, cs[i + 1].y)
            if (len == 0) continue
            int steps = Math.max(1, (int) Math.ceil(len))
            // coarse pass on 25 m, fine pass only near the coarse minimum
            double coarse = Double.MAX_VALUE
            for (int k = 0; k <= steps; k += 25) {
                double f = k / (double) steps
                coarse = Math.min(coarse, geodesic(lon, lat, cs[i].x + f * (cs[i + 1].x - cs[i].x), cs[i].y + f * (cs[i + 1].y - cs[i].y)))
            }
            if (coarse - 30 > best) continue
            for (int k = 0; k <= steps; k++) {
                double f = k / (double) steps
                best = Math.min(best, geodesic(lon, lat, cs[i].x + f * (cs[i + 1].x - cs[i].x), cs[i].y + f * (cs[i + 1].y - cs[i].y)))
            }
        }
        best
    }

    def "a circle's depth is its radius minus the geodesic distance from its centre"() {
        given:
        def index = FenceIndex.of([fence(id: 1, kind: FenceKind.BAN, geometry: 'POINT (107.39 29.70)', radius: radius)])
        def p = travel(107.39, 29.70, azimuth, meters)

        expect:
        Math.abs(index.depthMeters(1, p[0], p[1]) - (radius - meters)) <= 0.001 * meters + 0.01

        where:
        radius | azimuth | meters
        200    | 0       | 150
        200    | 90      | 250
        500    | 45      | 499
        500    | 200     | 501
        1000   | 135     | 10000
        1000   | 270     | 5000
    }

    def "polygon and corridor depths agree with SIS on WGS 84 to 0.1 % up to 10 km"() {
        given:
        def geometry = wkt(shape)
        def index = FenceIndex.of([fence(id: 1, kind: FenceKind.DANGER, geometry: geometry, buffer: buffer)])
        def centre = geometry.centroid
        def p = travel(centre.x, centre.y, azimuth, meters)
        double expected = Math.abs(boundaryDistance(geometry, p[0], p[1]) - buffer)

        expect:
        Math.abs(Math.abs(index.depthMeters(1, p[0], p[1])) - expected) <= 0.001 * expected + 0.05

        where:
        shape                                                                                             | buffer | azimuth | meters
        'POLYGON ((107.380 29.705, 107.384 29.705, 107.384 29.707, 107.380 29.707, 107.380 29.705))'      | 0      | 10      | 100
        'POLYGON ((107.380 29.705, 107.384 29.705, 107.384 29.707, 107.380 29.707, 107.380 29.705))'      | 0      | 80      | 1000
        'POLYGON ((107.380 29.705, 107.384 29.705, 107.384 29.707, 107.380 29.707, 107.380 29.705))'      | 0      | 200     | 10000
        'POLYGON ((107.380 29.705, 107.384 29.705, 107.384 29.707, 107.380 29.707, 107.380 29.705))'      | 0      | 315     | 7000
        'LINESTRING (107.40 29.69, 107.42 29.69, 107.43 29.70)'                                          | 30     | 0       | 300
        'LINESTRING (107.40 29.69, 107.42 29.69, 107.43 29.70)'                                          | 30     | 160     | 3000
        'LINESTRING (107.40 29.69, 107.42 29.69, 107.43 29.70)'                                          | 30     | 45      | 10000
    }

    def "a hole is outside and both parts of a multipolygon are inside"() {
        given:
        def index = FenceIndex.of([fence(id: 1, kind: FenceKind.BAN, geometry: shape)])

        expect:
        Math.signum(index.depthMeters(1, lon, lat)) == sign
        index.candidates(lon, lat, 5).any { it.fence().id() == 1L } == (sign > 0)

        where:
        shape                                                                                                                                                    | lon      | lat    || sign
        'POLYGON ((107.43 29.70, 107.44 29.70, 107.44 29.71, 107.43 29.71, 107.43 29.70), (107.433 29.703, 107.437 29.703, 107.437 29.707, 107.433 29.707, 107.433 29.703))' | 107.435  | 29.705 || -1
        'POLYGON ((107.43 29.70, 107.44 29.70, 107.44 29.71, 107.43 29.71, 107.43 29.70), (107.433 29.703, 107.437 29.703, 107.437 29.707, 107.433 29.707, 107.433 29.703))' | 107.4315 | 29.705 || 1
        'MULTIPOLYGON (((107.30 29.60, 107.31 29.60, 107.31 29.61, 107.30 29.60)), ((107.32 29.60, 107.33 29.60, 107.33 29.61, 107.32 29.60)))'                     | 107.308  | 29.602 || 1
        'MULTIPOLYGON (((107.30 29.60, 107.31 29.60, 107.31 29.61, 107.30 29.60)), ((107.32 29.60, 107.33 29.60, 107.33 29.61, 107.32 29.60)))'                     | 107.328  | 29.602 || 1
        'MULTIPOLYGON (((107.30 29.60, 107.31 29.60, 107.31 29.61, 107.30 29.60)), ((107.32 29.60, 107.33 29.60, 107.33 29.61, 107.32 29.60)))'                     | 107.315  | 29.602 || -1
    }

    def "the oracle cases of Tile38 and Traccar give the same containment (lat lon order in the cases)"() {
        given:
        def index = FenceIndex.of([fence])

        expect:
        (index.depthMeters(fence.id(), lon, lat) > 0) == inside

        where:
        [fence, lon, lat, inside] << oracleRows()
    }

    static List<List> oracleRows() {
        def cases = new JsonSlurper().parse(new File(DATA, 'geofence-oracles/oracle_cases.json'))
        List<List> rows = []
        cases.each { c ->
            if (c.fence?.type == 'circle') {
                def f = fence(id: 1, kind: FenceKind.BAN, geometry: "POINT (${c.fence.center_lon} ${c.fence.center_lat})", radius: c.fence.radius_m)
                c.steps.findAll { it.expect_detect }.each { s -> rows << [f, s.lon, s.lat, 'inside' in s.expect_detect] }
            } else if (c.fence?.type == 'bounds') {
                def b = c.fence
                def f = fence(id: 1, kind: FenceKind.BAN, geometry: "POLYGON ((${b.min_lon} ${b.min_lat}, ${b.max_lon} ${b.min_lat}, ${b.max_lon} ${b.max_lat}, ${b.min_lon} ${b.max_lat}, ${b.min_lon} ${b.min_lat}))")
                c.steps.each { s -> rows << [f, s.lon, s.lat, 'inside' in s.expect_detect] }
            } else if (c.fence_wkt && !c.source.contains('180') && !c.source.contains('Area')) {
                def f = traccarFence(c.fence_wkt as String)
                c.contains.each { p -> rows << [f, p.lon, p.lat, p.expect] }
            } else if (c.cases) {
                c.cases.findAll { !it.wkt.contains('179') }.each { p ->
                    def f = fence(id: 1, kind: FenceKind.DANGER, geometry: swap(p.wkt as String), buffer: p.distance_m)
                    rows << [f, p.point[1], p.point[0], p.expect]
                }
            }
        }
        assert rows.size() >= 12
        rows
    }

    /** Traccar writes WKT as 'lat lon' and circles as CIRCLE (lat lon, radius). */
    static Fence traccarFence(String text) {
        def circle = text =~ /CIRCLE \(([-\d.]+) ([-\d.]+), ([\d.]+)\)/
        if (circle) {
            return fence(id: 1, kind: FenceKind.BAN, geometry: "POINT (${circle[0][2]} ${circle[0][1]})", radius: circle[0][3] as double)
        }
        def cs = (text =~ /([-\d.]+) ([-\d.]+)/).collect { all, lat, lon -> new Coordinate(lon as double, lat as double) }
        if (cs[0] != cs[-1]) {
            cs << cs[0]
        }
        fence(id: 1, kind: FenceKind.BAN, geometry: GF.createPolygon(cs as Coordinate[]))
    }

    static String swap(String latLonWkt) {
        latLonWkt.replaceAll(/([-\d.]+) ([-\d.]+)/) { all, a, b -> "$b $a" }
    }

    def "Traccar's point-to-line distances agree within its 5 m tolerance"() {
        given:
        def index = FenceIndex.of([fence(id: 1, kind: FenceKind.DANGER, geometry: 'LINESTRING (60.59833 56.83777, 60.5968 56.83766)', buffer: 1)])

        expect:
        Math.abs((1 - index.depthMeters(1, lon, lat)) - expected) <= 5

        where:
        lon      | lat      || expected
        60.59748 | 56.83801 || 33
        60.59508 | 56.83753 || 105
    }

    def "a corridor along the Yangtze at Fuling (Natural Earth) contains the river and not the town 2 km off"() {
        given:
        def yangtze = new JsonSlurper().parse(new File(DATA, 'rivers/yangtze_wu_fuling_bbox_clip.geojson')).features.find { it.properties.name == 'Chang Jiang' }
        def line = GF.createLineString(yangtze.geometry.coordinates[0].collect { new Coordinate(it[0] as double, it[1] as double) } as Coordinate[])
        def index = FenceIndex.of([fence(id: 1, kind: FenceKind.DANGER, geometry: line, buffer: 300)])

        expect:
        index.depthMeters(1, 107.38, 29.7332) > 200
        index.depthMeters(1, 107.38, 29.7150) < -1500
    }

    def "the cell covering decides exactly like the exact depth at 20,000 random points"() {
        given:
        def fences = SyntheticFences.generate(300, 7) + [
                fence(id: 1001, kind: FenceKind.BAN, geometry: 'POLYGON ((107.43 29.70, 107.44 29.70, 107.44 29.71, 107.43 29.71, 107.43 29.70), (107.433 29.703, 107.437 29.703, 107.437 29.707, 107.433 29.707, 107.433 29.703))'),
                fence(id: 1002, kind: FenceKind.DANGER, geometry: 'LINESTRING (107.40 29.69, 107.42 29.69)', buffer: 10, hysteresis: 0)]
        def index = FenceIndex.of(fences)
        def rnd = new Random(11)
        int mismatches = 0
        int exactlyChecked = 0

        when:
        20_000.times {
            def f = fences[rnd.nextInt(fences.size())]
            def env = f.geometry().envelopeInternal
            double lon = env.minX + (rnd.nextDouble() * 1.4 - 0.2) * Math.max(env.width, 0.004)
            double lat = env.minY + (rnd.nextDouble() * 1.4 - 0.2) * Math.max(env.height, 0.004)
            double accuracy = rnd.nextInt(10) == 0 ? 80 + rnd.nextDouble() * 400 : rnd.nextDouble() * 80
            def got = index.candidates(lon, lat, accuracy).collectEntries { [it.fence().id(), it.depthMeters()] }
            fences.each { g ->
                double band = g.hysteresisMeters() + accuracy
                double exact = index.depthMeters(g.id(), lon, lat)
                boolean listed = got.containsKey(g.id())
                if (listed != (exact >= -band)) {
                    mismatches++
                } else if (listed) {
                    double d = got[g.id()]
                    exactlyChecked++
                    if ((d > band) != (exact > band) || (d < -band) != (exact < -band)) mismatches++
                }
            }
        }

        then:
        mismatches == 0
        exactlyChecked > 1000
    }

    def "an index of 10,000 fences of the benchmark mix holds every fence, in a bounded number of cell entries"() {
        // how long the build takes is for the benchmark (docs/benchmarks.md), not for a timed test on a shared machine
        given:
        def fences = SyntheticFences.generate(10_000, 1)

        when:
        def index = FenceIndex.of(fences)
        println "FenceIndex.of(10,000 fences): ${index.cellEntries()} cell entries"

        then:
        index.size() == 10_000
        index.cellEntries() >= 10_000
        index.cellEntries() < 3_000_000 // 1.42M today; a covering gone wild (every cell of the box) would be far more
    }
}
