package org.geoward.dispatch

import org.geoward.support.Vincenty
import spock.lang.Shared
import spock.lang.Specification

/**
 * River routes along the real Natural Earth centre lines of the Yangtze (Chang Jiang) and the Wu around Fuling
 * (public domain, shipped as demo/yangtze_wu_fuling.geojson), checked against Vincenty summed vertex by vertex.
 */
class RiverChannelsSpec extends Specification {
    @Shared RiverChannels rivers = new RiverChannels('demo/yangtze_wu_fuling.geojson')
    @Shared Map<String, List<List<Double>>> lines = read()

    static Map<String, List<List<Double>>> read() {
        def json = new groovy.json.JsonSlurper().parse(RiverChannelsSpec.getResourceAsStream('/demo/yangtze_wu_fuling.geojson'))
        json.features.collectEntries { [(it.properties.name_en ?: it.properties.name): it.geometry.coordinates[0]] }
    }

    /** The length in metres of {@code river} from vertex i to vertex j, by Vincenty on WGS 84. */
    double along(String river, int i, int j) {
        def c = lines[river]
        (Math.min(i, j)..<Math.max(i, j)).sum { k -> Vincenty.metres(c[k][0], c[k][1], c[k + 1][0], c[k + 1][1]) } as double
    }

    def "between vertices #i and #j of the #river the route is the centre line's length, within 0.05 %"() {
        given:
        def a = lines[river][i]
        def b = lines[river][j]

        when:
        def route = rivers.route(a[0], a[1], b[0], b[1]).get()

        then:
        Math.abs(route.meters() - along(river, i, j)) <= along(river, i, j) * 0.0005
        route.channels() == [river]
        // the river meanders: the way along it is longer than the straight line
        route.meters() > Vincenty.metres(a[0], a[1], b[0], b[1])

        where:
        river     | i  | j
        'Yangtze' | 16 | 22
        'Yangtze' | 22 | 16
        'Yangtze' | 18 | 19
        'Wu'      | 14 | 27
        'Wu'      | 20 | 24
    }

    def "from the Wu to the Yangtze the route runs through their confluence by Fuling's old town"() {
        given: 'a point on the Wu (vertex 24) and one on the Yangtze upstream of the confluence (vertex 18)'
        def wu = lines['Wu']
        def yangtze = lines['Yangtze']
        def end = wu[-1]
        def from = wu[24]
        def to = yangtze[18]

        when:
        def route = rivers.route(from[0], from[1], to[0], to[1]).get()
        def confluence = rivers.place(end[0], end[1]).get()

        then: 'the Wu to its mouth, across to the Yangtze, and up the Yangtze from there'
        confluence.channel() == 'Wu' && confluence.offMeters() < 1
        def onYangtze = placeOnYangtze(end)
        double expected = along('Wu', 24, wu.size() - 1) + onYangtze.off + Math.abs(onYangtze.along - along('Yangtze', 0, 18))
        Math.abs(route.meters() - expected) < expected * 0.001
        route.channels() == ['Wu', 'Yangtze']
        route.meters() > Vincenty.metres(from[0], from[1], to[0], to[1]) * 1.4
    }

    def "a point on the bank adds its leg to the water"() {
        given: 'vertex 19 of the Yangtze, and a point 300 m north-west of vertex 18'
        def yangtze = lines['Yangtze']
        def bank = DispatchData.offset(yangtze[18][0], yangtze[18][1], 300, 0)

        when:
        def place = rivers.place(bank[0], bank[1]).get()
        def route = rivers.route(bank[0], bank[1], yangtze[19][0], yangtze[19][1]).get()

        then:
        place.channel() == 'Yangtze'
        place.offMeters() > 100 && place.offMeters() <= 301
        Math.abs(route.meters() - (place.offMeters() + Math.abs(place.alongMeters() - along('Yangtze', 0, 19)))) < 1
    }

    /** Where the Wu's mouth lies on the Yangtze (projected with the same class, checked above on vertices). */
    Map placeOnYangtze(List<Double> point) {
        // the nearest point of the Yangtze to the Wu's mouth, by brute force over fine steps of each segment
        def c = lines['Yangtze']
        double best = Double.MAX_VALUE, bestAlong = 0, walked = 0
        for (int k = 0; k < c.size() - 1; k++) {
            double seg = Vincenty.metres(c[k][0], c[k][1], c[k + 1][0], c[k + 1][1])
            for (int s = 0; s <= 1000; s++) {
                double t = s / 1000.0
                double lon = c[k][0] + t * (c[k + 1][0] - c[k][0]), lat = c[k][1] + t * (c[k + 1][1] - c[k][1])
                double d = Vincenty.metres(point[0], point[1], lon, lat)
                if (d < best) {
                    best = d
                    bestAlong = walked + t * seg
                }
            }
            walked += seg
        }
        [off: best, along: bestAlong]
    }
}
