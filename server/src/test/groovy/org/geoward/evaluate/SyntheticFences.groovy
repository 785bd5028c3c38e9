package org.geoward.evaluate

import org.locationtech.jts.geom.Coordinate

/**
 * Generates the benchmark's fence mix over a 40 x 40 km box around Fuling (107.2-107.6 E, 29.55-29.9 N): 99 %
 * circles and polygons of 50-500 m, 1 % river-like corridors of about 2,000 vertices.
 */
class SyntheticFences {
    static List<Fence> generate(int count, long seed) {
        def rnd = new Random(seed)
        def kinds = FenceKind.values()
        (0..<count).collect { int i ->
            def kind = kinds[i % 3 == 0 ? 0 : (i % 3 == 1 ? 1 : 2)]
            double lon = 107.2 + rnd.nextDouble() * 0.4, lat = 29.55 + rnd.nextDouble() * 0.35
            Set<Long> subjects = kind == FenceKind.SAFE ? [(long) (i % 1000)] as Set : [] as Set
            if (i % 100 == 99) {
                return new Fence(i, "river $i", kind, corridor(rnd, 2000), 0, 30 + rnd.nextDouble() * 70, Double.NaN, 30, 0, subjects, null, [] as Set)
            }
            double size = 50 + rnd.nextDouble() * 450
            if (rnd.nextBoolean()) {
                return new Fence(i, "circle $i", kind, Tracks.GF.createPoint(new Coordinate(lon, lat)), size / 2, 0, Double.NaN, 30, 0, subjects, null, [] as Set)
            }
            new Fence(i, "polygon $i", kind, polygon(rnd, lon, lat, size / 2), 0, 0, Double.NaN, 30, 0, subjects, null, [] as Set)
        }
    }

    static polygon(Random rnd, double lon, double lat, double radius) {
        int n = 5 + rnd.nextInt(12)
        def cs = (0..<n).collect { k ->
            double a = 2 * Math.PI * k / n, r = radius * (0.6 + 0.4 * rnd.nextDouble())
            new Coordinate(lon + r * Math.cos(a) / 96775, lat + r * Math.sin(a) / 110847)
        }
        cs << cs[0]
        Tracks.GF.createPolygon(cs as Coordinate[])
    }

    /** A random walk across the box, about 20 m a step, turning gently like a river. */
    static corridor(Random rnd, int vertices) {
        double lon = 107.2 + rnd.nextDouble() * 0.4, lat = 29.55 + rnd.nextDouble() * 0.35
        double heading = rnd.nextDouble() * 2 * Math.PI
        def cs = []
        for (int k = 0; k < vertices; k++) {
            cs << new Coordinate(lon, lat)
            heading += (rnd.nextDouble() - 0.5) * 0.3
            lon += 20 * Math.cos(heading) / 96775
            lat += 20 * Math.sin(heading) / 110847
            if (lon < 107.2 || lon > 107.6 || lat < 29.55 || lat > 29.9) {
                heading += Math.PI
            }
        }
        Tracks.GF.createLineString(cs as Coordinate[])
    }
}
