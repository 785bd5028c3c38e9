package org.geoward.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.geoward.evaluate.Fence;
import org.geoward.evaluate.FenceKind;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;

/**
 * Generates the benchmark's fences over a 40 x 40 km box around Fuling (107.2-107.6 E, 29.55-29.9 N): 99 % circles
 * and polygons of 50-500 m, 1 % river-like corridors of 2,000 vertices (a 20 m-step random walk).
 */
final class FenceMix {
    static final double MIN_LON = 107.2, MAX_LON = 107.6, MIN_LAT = 29.55, MAX_LAT = 29.9;
    static final double M_PER_DEG_LON = 96_775, M_PER_DEG_LAT = 110_847;
    private static final GeometryFactory GF = new GeometryFactory(new PrecisionModel(), 4326);

    private FenceMix() {}

    /** Returns the fences; SAFE fences name ward {@code i % wards}. */
    static List<Fence> generate(int count, long seed, int wards) {
        Random rnd = new Random(seed);
        List<Fence> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            FenceKind kind = FenceKind.values()[i % 3];
            Set<Long> subjects = kind == FenceKind.SAFE ? Set.of((long) (i % wards)) : Set.of();
            double lon = MIN_LON + rnd.nextDouble() * (MAX_LON - MIN_LON);
            double lat = MIN_LAT + rnd.nextDouble() * (MAX_LAT - MIN_LAT);
            if (count >= 100 && i % 100 == 99) {
                double buffer = 30 + rnd.nextDouble() * 70;
                out.add(fence(i, "river " + i, kind, corridor(rnd, 2000), 0, buffer, subjects));
                continue;
            }
            double size = 50 + rnd.nextDouble() * 450;
            if (rnd.nextBoolean()) {
                Geometry centre = GF.createPoint(new Coordinate(lon, lat));
                out.add(fence(i, "circle " + i, kind, centre, size / 2, 0, subjects));
            } else {
                out.add(fence(i, "polygon " + i, kind, polygon(rnd, lon, lat, size / 2), 0, 0, subjects));
            }
        }
        return out;
    }

    private static Fence fence(
            long id, String name, FenceKind kind, Geometry g, double radius, double buffer, Set<Long> subjects) {
        return new Fence(id, name, kind, g, radius, buffer, Double.NaN, 30, 0, subjects, null, Set.of());
    }

    private static Geometry polygon(Random rnd, double lon, double lat, double radius) {
        int n = 5 + rnd.nextInt(12);
        Coordinate[] cs = new Coordinate[n + 1];
        for (int k = 0; k < n; k++) {
            double a = 2 * Math.PI * k / n, r = radius * (0.6 + 0.4 * rnd.nextDouble());
            cs[k] = new Coordinate(lon + r * Math.cos(a) / M_PER_DEG_LON, lat + r * Math.sin(a) / M_PER_DEG_LAT);
        }
        cs[n] = cs[0];
        return GF.createPolygon(cs);
    }

    private static Geometry corridor(Random rnd, int vertices) {
        double lon = MIN_LON + rnd.nextDouble() * (MAX_LON - MIN_LON);
        double lat = MIN_LAT + rnd.nextDouble() * (MAX_LAT - MIN_LAT);
        double heading = rnd.nextDouble() * 2 * Math.PI;
        Coordinate[] cs = new Coordinate[vertices];
        for (int k = 0; k < vertices; k++) {
            cs[k] = new Coordinate(lon, lat);
            heading += (rnd.nextDouble() - 0.5) * 0.3;
            lon += 20 * Math.cos(heading) / M_PER_DEG_LON;
            lat += 20 * Math.sin(heading) / M_PER_DEG_LAT;
            if (lon < MIN_LON || lon > MAX_LON || lat < MIN_LAT || lat > MAX_LAT) {
                heading += Math.PI;
            }
        }
        return GF.createLineString(cs);
    }
}
