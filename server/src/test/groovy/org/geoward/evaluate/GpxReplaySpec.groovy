package org.geoward.evaluate

import org.geoward.geo.Geometries
import org.geoward.support.Vincenty
import spock.lang.Shared
import spock.lang.Specification

import javax.xml.parsers.DocumentBuilderFactory
import java.time.Instant

/**
 * Replays a real recorded walk through the pure evaluator, with a SAFE circle around the walk's first fix, and checks
 * every alert against an independent computation: the distance of each fix from the centre by Vincenty's inverse
 * formula on WGS 84 ({@link Vincenty}, which shares no code with the evaluator's {@link Geodesy}), fed through the
 * hysteresis rule of DESIGN.md written out again here. No server and no database: it runs in well under a second.
 *
 * <p>The walk is /work/shared/data/gpx/cerknicko-jezero.gpx (a 2-hour walk by Cerkniško jezero, Slovenia, 296 fixes
 * in 8 segments, no accuracy), one of the test files of tkrajina/gpxpy, Apache-2.0; see LICENSE_gpxpy_Apache-2.0.txt
 * beside it.
 */
class GpxReplaySpec extends Specification {
    static final long WARD = 1
    static final long FENCE = 7
    static final double HYSTERESIS = 20
    /** The evaluator measures within 0.1 % of the ellipsoid distance; fixes this close to a threshold prove nothing. */
    static final double TOLERANCE = 0.001

    @Shared List<Map> walk = readWalk('cerknicko-jezero.gpx')
    @Shared double lon0 = walk[0].lon
    @Shared double lat0 = walk[0].lat
    @Shared List<Double> distances = walk.collect { Vincenty.metres(lon0, lat0, it.lon, it.lat) }

    def "the recording is a usable walk: 296 fixes in time order"() {
        expect:
        walk.size() == 296
        (1..<walk.size()).every { walk[it].time.isAfter(walk[it - 1].time) }
        distances.max() > 4_000
    }

    def "a #radius m safe zone around the start: WANDER opens at the first fix beyond #radius + 20 m"() {
        given:
        double leave = radius + HYSTERESIS
        double back = radius - HYSTERESIS
        assert distances.every { Math.abs(it - leave) > leave * TOLERANCE && Math.abs(it - back) > back * TOLERANCE }

        when:
        def replay = replay(radius)
        def wanders = replay.findAll { it.t.type() == AlertType.WANDER && it.t.kind() == Transition.Kind.OPEN }
        def returns = replay.findAll { it.t.type() == AlertType.WANDER && it.t.kind() == Transition.Kind.RESOLVE }
        int firstOut = distances.findIndexOf { it > leave }

        then: 'the first WANDER opens exactly at the first fix beyond radius + hysteresis, with that fix time and place'
        firstOut > 0
        wanders[0].i == firstOut
        wanders[0].t.at() == walk[firstOut].time
        wanders[0].t.lon() == walk[firstOut].lon
        wanders[0].t.lat() == walk[firstOut].lat
        wanders[0].t.fenceId() == FENCE
        distances[0..<firstOut].every { it <= leave }

        and: 'if the walk comes back, RETURNED resolves it at the first later fix within radius - hysteresis'
        int firstBack = distances.findIndexOf(firstOut) { it < back }
        if (firstBack < 0) {
            assert returns.isEmpty()
        } else {
            assert returns[0].i == firstBack
            assert returns[0].t.outcome() == 'RETURNED'
            assert distances[firstOut..<firstBack].every { it >= back }
        }

        and: 'the whole sequence equals the one the rule gives on the independent distances; never two open at once'
        replay.collect { [it.i, it.t.kind()] } == expected(radius)
        wanders.size() == openings
        returns.size() == returnings
        replay.every { it.t.type() == AlertType.WANDER }
        replay*.t*.kind().withIndex().every { k, n -> k == (n % 2 == 0 ? Transition.Kind.OPEN : Transition.Kind.RESOLVE) }

        where: 'the walk goes out about 700 m (3.2 km with a GPS jump), comes back past the start, then leaves for good'
        // (300 m would put a fix 0.27 m inside the 320 m threshold: closer than the 0.1 % the evaluator promises)
        radius || openings | returnings
        200    || 2        | 1
        350    || 2        | 1
        1_000  || 2        | 1
        2_000  || 2        | 1
        4_000  || 1        | 0
    }

    def "a safe zone the walk never leaves raises nothing, however far from the centre the fixes are"() {
        expect:
        replay(5_000).isEmpty()
    }

    /** Runs the walk through the evaluator; returns each transition with the index of the fix that caused it. */
    private List<Map> replay(double radius) {
        def fence = new Fence(FENCE, 'start', FenceKind.SAFE, Geometries.point(lon0, lat0), radius, 0, HYSTERESIS, 0,
                0, [WARD] as Set, null, [] as Set)
        def index = FenceIndex.of([fence])
        def evaluator = new Evaluator()
        SubjectState state = null
        List<Map> out = []
        walk.eachWithIndex { p, i ->
            def fix = Fix.at(WARD, SubjectKind.WARD, p.time, p.lon, p.lat) // the GPX has no accuracy: 0
            def r = evaluator.evaluate(fix, state, index, [] as Set, GuardianLocator.none())
            assert !r.outOfOrder() && !r.duplicate()
            state = r.state()
            r.transitions().each { out << [i: i, t: it] }
        }
        out
    }

    /** DESIGN.md's rule, by hand: out beyond r + h opens WANDER, back within r - h resolves it, between keeps state. */
    private List<List> expected(double radius) {
        List<List> out = []
        boolean open = false
        distances.eachWithIndex { d, i ->
            if (!open && d > radius + HYSTERESIS) {
                open = true
                out << [i, Transition.Kind.OPEN]
            } else if (open && d < radius - HYSTERESIS) {
                open = false
                out << [i, Transition.Kind.RESOLVE]
            }
        }
        out
    }

    private static List<Map> readWalk(String name) {
        def dir = System.getProperty('geoward.shared-data')
        assert dir: 'system property geoward.shared-data is not set (surefire sets it)'
        def doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File(dir, "gpx/$name"))
        def points = doc.getElementsByTagName('trkpt')
        (0..<points.length).collect { int n ->
            def p = points.item(n)
            [lon : p.getAttribute('lon') as double, lat: p.getAttribute('lat') as double,
             time: Instant.parse(p.getElementsByTagName('time').item(0).textContent)]
        }
    }
}
