package org.geoward.evaluate;

import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Holds a fence's geometry as flat arrays of lon/lat segments and measures signed depth (metres, positive inside)
 * in a frame centred on the query point. Immutable and thread-safe.
 */
final class FenceShape {
    enum Form {
        CIRCLE,
        AREA,
        CORRIDOR
    }

    final Form form;
    /** Circle radius or corridor half-width in metres; 0 for areas. */
    final double reach;

    final double centerLon;
    final double centerLat;
    /** Segment i runs from (x0[i], y0[i]) to (x1[i], y1[i]) in degrees; areas keep shells CCW and holes CW. */
    final double[] x0;

    final double[] y0;
    final double[] x1;
    final double[] y1;
    /** For circles, what {@link #circleDepth} needs; null otherwise. */
    private final double[] circle;
    /** The same segments interleaved, (x0, y0, x1, y1) each, so measuring a run reads one array. */
    private final double[] segments;
    /** For areas: the segment after / before segment i on its ring. */
    final int[] next;

    final int[] prev;
    /** Metres per degree at {@link #lat0}, and their change per degree of latitude (a local linear model). */
    private final double lat0;

    private final double kx0;
    private final double ky0;
    private final double dkx;
    private final double dky;
    final double minLon;
    final double minLat;
    final double maxLon;
    final double maxLat;

    private FenceShape(Form form, double reach, double centerLon, double centerLat, List<double[]> rings) {
        this.form = form;
        this.reach = reach;
        this.centerLon = centerLon;
        this.centerLat = centerLat;
        int n = 0;
        for (double[] r : rings) {
            n += form == Form.AREA ? r.length / 2 : Math.max(1, r.length / 2 - 1);
        }
        x0 = new double[n];
        y0 = new double[n];
        x1 = new double[n];
        y1 = new double[n];
        next = new int[n];
        prev = new int[n];
        fillSegments(rings);
        segments = new double[4 * n];
        for (int i = 0; i < n; i++) {
            segments[4 * i] = x0[i];
            segments[4 * i + 1] = y0[i];
            segments[4 * i + 2] = x1[i];
            segments[4 * i + 3] = y1[i];
        }
        double[] env = envelope();
        minLon = env[0];
        minLat = env[1];
        maxLon = env[2];
        maxLat = env[3];
        lat0 = (minLat + maxLat) / 2;
        kx0 = Geodesy.metersPerDegreeLon(lat0);
        ky0 = Geodesy.metersPerDegreeLat(lat0);
        dkx = (Geodesy.metersPerDegreeLon(lat0 + 0.01) - Geodesy.metersPerDegreeLon(lat0 - 0.01)) / 0.02;
        dky = (Geodesy.metersPerDegreeLat(lat0 + 0.01) - Geodesy.metersPerDegreeLat(lat0 - 0.01)) / 0.02;
        circle = form == Form.CIRCLE ? new double[CIRCLE_DOUBLES] : null;
        if (circle != null) {
            writeCircle(circle, 0);
        }
    }

    /** Doubles per circle in {@link #writeCircle}. */
    static final int CIRCLE_DOUBLES = 8;

    /** Writes what {@link #circleDepth} needs of this circle at {@code at}. */
    void writeCircle(double[] to, int at) {
        to[at] = centerLon;
        to[at + 1] = centerLat;
        to[at + 2] = reach;
        to[at + 3] = lat0;
        to[at + 4] = kx0;
        to[at + 5] = dkx;
        to[at + 6] = ky0;
        to[at + 7] = dky;
    }

    /** Returns the signed depth in metres at the point of the circle written by {@link #writeCircle} at {@code at}. */
    static double circleDepth(double[] c, int at, double lon, double lat) {
        double centerLon = c[at], centerLat = c[at + 1], lat0 = c[at + 3], kx0 = c[at + 4];
        double mid = (lat + centerLat) / 2;
        double d = mid - lat0;
        double kx = d > -1 && d < 1
                ? kx0 + c[at + 5] * d - 0.5 * kx0 * Math.toRadians(d) * Math.toRadians(d)
                : Geodesy.metersPerDegreeLon(mid);
        double ky = d > -1 && d < 1 ? c[at + 6] + c[at + 7] * d : Geodesy.metersPerDegreeLat(mid);
        double dx = (lon - centerLon) * kx, dy = (lat - centerLat) * ky;
        return c[at + 2] - Math.sqrt(dx * dx + dy * dy);
    }

    /** Returns metres per degree of longitude at the latitude, from the local model (exact where it matters). */
    private double kxAt(double lat) {
        double d = lat - lat0;
        return d > -1 && d < 1
                ? kx0 + dkx * d - 0.5 * kx0 * Math.toRadians(d) * Math.toRadians(d)
                : Geodesy.metersPerDegreeLon(lat);
    }

    private double kyAt(double lat) {
        double d = lat - lat0;
        return d > -1 && d < 1 ? ky0 + dky * d : Geodesy.metersPerDegreeLat(lat);
    }

    private void fillSegments(List<double[]> rings) {
        int i = 0;
        for (double[] r : rings) {
            int points = r.length / 2;
            int base = i;
            int count = form == Form.AREA ? points : Math.max(1, points - 1);
            for (int k = 0; k < count; k++, i++) {
                int a = k;
                int b = form == Form.AREA ? (k + 1) % points : Math.min(k + 1, points - 1);
                x0[i] = r[2 * a];
                y0[i] = r[2 * a + 1];
                x1[i] = r[2 * b];
                y1[i] = r[2 * b + 1];
                next[i] = base + (k + 1) % count;
                prev[i] = base + (k + count - 1) % count;
            }
        }
    }

    private double[] envelope() {
        if (form == Form.CIRCLE) {
            double dLat = reach / Geodesy.metersPerDegreeLat(centerLat) * 1.001;
            double edgeLat = Math.min(89.9, Math.abs(centerLat) + dLat);
            double dLon = reach / Geodesy.metersPerDegreeLon(edgeLat) * 1.001;
            return new double[] {centerLon - dLon, centerLat - dLat, centerLon + dLon, centerLat + dLat};
        }
        double[] e = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < x0.length; i++) {
            e[0] = Math.min(e[0], Math.min(x0[i], x1[i]));
            e[1] = Math.min(e[1], Math.min(y0[i], y1[i]));
            e[2] = Math.max(e[2], Math.max(x0[i], x1[i]));
            e[3] = Math.max(e[3], Math.max(y0[i], y1[i]));
        }
        if (reach > 0) {
            double dLat = reach / Geodesy.metersPerDegreeLat(e[1]) * 1.001;
            double edgeLat = Math.min(89.9, Math.max(Math.abs(e[1]), Math.abs(e[3])) + dLat);
            double dLon = reach / Geodesy.metersPerDegreeLon(edgeLat) * 1.001;
            e = new double[] {e[0] - dLon, e[1] - dLat, e[2] + dLon, e[3] + dLat};
        }
        return e;
    }

    /** Compiles a fence's geometry. */
    static FenceShape of(Fence fence) {
        Geometry g = fence.geometry();
        if (g instanceof Point p) {
            return new FenceShape(Form.CIRCLE, fence.radiusMeters(), p.getX(), p.getY(), List.of());
        }
        List<double[]> rings = new ArrayList<>();
        boolean area = fence.bufferMeters() <= 0 || g.getDimension() == 2;
        for (int k = 0; k < g.getNumGeometries(); k++) {
            Geometry part = g.getGeometryN(k);
            if (part instanceof Polygon poly) {
                addRing(rings, poly.getExteriorRing().getCoordinates(), true);
                for (int h = 0; h < poly.getNumInteriorRing(); h++) {
                    addRing(rings, poly.getInteriorRingN(h).getCoordinates(), false);
                }
            } else if (part instanceof LineString line) {
                rings.add(distinct(line.getCoordinates(), false));
            }
        }
        Form form = area ? Form.AREA : Form.CORRIDOR;
        return new FenceShape(form, area ? 0 : fence.bufferMeters(), 0, 0, rings);
    }

    private static void addRing(List<double[]> rings, Coordinate[] ring, boolean shell) {
        if (ring.length < 4) {
            return;
        }
        boolean ccw = Orientation.isCCW(ring);
        double[] r = distinct(ring, true);
        if (ccw != shell) {
            for (int i = 0, j = r.length / 2 - 1; i < j; i++, j--) {
                double tx = r[2 * i], ty = r[2 * i + 1];
                r[2 * i] = r[2 * j];
                r[2 * i + 1] = r[2 * j + 1];
                r[2 * j] = tx;
                r[2 * j + 1] = ty;
            }
        }
        rings.add(r);
    }

    /** Returns x,y pairs without repeated points (and without the closing point of a ring). */
    private static double[] distinct(Coordinate[] cs, boolean closed) {
        double[] out = new double[cs.length * 2];
        int n = 0;
        for (Coordinate c : cs) {
            if (n == 0 || c.x != out[2 * n - 2] || c.y != out[2 * n - 1]) {
                out[2 * n] = c.x;
                out[2 * n + 1] = c.y;
                n++;
            }
        }
        if (closed && n > 1 && out[0] == out[2 * n - 2] && out[1] == out[2 * n - 1]) {
            n--;
        }
        return java.util.Arrays.copyOf(out, 2 * n);
    }

    int segmentCount() {
        return x0.length;
    }

    /** Returns the exact signed depth in metres at the point, looking at every segment. */
    double depth(double lon, double lat) {
        return depth(lon, lat, null, 0, 1);
    }

    /**
     * Returns the exact signed depth in metres at the point, looking only at the segment runs {@code runs[2k] ..
     * runs[2k+1]} for k in {@code start/2 .. start/2+count-1} (or, with null runs, at every segment). Callers pass
     * runs that contain the nearest segment.
     */
    double depth(double lon, double lat, int[] runs, int start, int count) {
        if (form == Form.CIRCLE) {
            return circleDepth(circle, 0, lon, lat);
        }
        double kx = kxAt(lat);
        double ky = kyAt(lat);
        int best = -1;
        double bestD2 = Double.MAX_VALUE;
        double bestT = 0;
        for (int k = 0; k < count; k++) {
            int from = runs == null ? 0 : runs[start + 2 * k];
            int to = runs == null ? x0.length - 1 : runs[start + 2 * k + 1];
            for (int i = from; i <= to; i++) {
                double sx0 = segments[4 * i], sy0 = segments[4 * i + 1];
                double ax = (sx0 - lon) * kx, ay = (sy0 - lat) * ky;
                double dx = (segments[4 * i + 2] - sx0) * kx, dy = (segments[4 * i + 3] - sy0) * ky;
                double len2 = dx * dx + dy * dy;
                double t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
                double px = ax + t * dx, py = ay + t * dy;
                double d2 = px * px + py * py;
                if (d2 < bestD2) {
                    bestD2 = d2;
                    best = i;
                    bestT = t;
                }
            }
        }
        double d = Math.sqrt(bestD2);
        if (d > 500) {
            double qLon = x0[best] + bestT * (x1[best] - x0[best]);
            double qLat = y0[best] + bestT * (y1[best] - y0[best]);
            d = Geodesy.distanceMeters(lon, lat, qLon, qLat);
        }
        if (form == Form.CORRIDOR) {
            return reach - d;
        }
        return isInside(best, bestT, lon, lat, kx, ky) ? d : -d;
    }

    /** Decides inside/outside from the nearest segment (interior lies to the left of every segment). */
    private boolean isInside(int i, double t, double lon, double lat, double kx, double ky) {
        int a, b;
        if (t <= 0) {
            a = prev[i];
            b = i;
        } else if (t >= 1) {
            a = i;
            b = next[i];
        } else {
            double cross = (x1[i] - x0[i]) * kx * (lat - y0[i]) * ky - (y1[i] - y0[i]) * ky * (lon - x0[i]) * kx;
            return cross > 0;
        }
        double ux = (x0[a] - lon) * kx, uy = (y0[a] - lat) * ky;
        double vx = (x1[a] - lon) * kx, vy = (y1[a] - lat) * ky;
        double wx = (x1[b] - lon) * kx, wy = (y1[b] - lat) * ky;
        double turn = (vx - ux) * (wy - vy) - (vy - uy) * (wx - vx);
        boolean leftOfA = (vx - ux) * (-vy) - (vy - uy) * (-vx) > 0;
        boolean leftOfB = (wx - vx) * (-vy) - (wy - vy) * (-vx) > 0;
        return turn > 0 ? leftOfA && leftOfB : leftOfA || leftOfB;
    }

    /**
     * Tells whether the straight segment between two points passes through the shape (circles and corridors
     * with their radius / buffer).
     */
    boolean isCrossedBy(double lonA, double latA, double lonB, double latB) {
        double lat = (latA + latB) / 2;
        double kx = Geodesy.metersPerDegreeLon(lat);
        double ky = Geodesy.metersPerDegreeLat(lat);
        double bx = (lonB - lonA) * kx, by = (latB - latA) * ky;
        if (form == Form.CIRCLE) {
            return pointSegment((centerLon - lonA) * kx, (centerLat - latA) * ky, 0, 0, bx, by) <= reach;
        }
        double padLon = reach / kx * 1.01 + 1e-9, padLat = reach / ky * 1.01 + 1e-9;
        double minX = Math.min(lonA, lonB) - padLon, maxX = Math.max(lonA, lonB) + padLon;
        double minY = Math.min(latA, latB) - padLat, maxY = Math.max(latA, latB) + padLat;
        for (int i = 0; i < x0.length; i++) {
            if (Math.max(x0[i], x1[i]) < minX
                    || Math.min(x0[i], x1[i]) > maxX
                    || Math.max(y0[i], y1[i]) < minY
                    || Math.min(y0[i], y1[i]) > maxY) {
                continue;
            }
            double px = (x0[i] - lonA) * kx, py = (y0[i] - latA) * ky;
            double qx = (x1[i] - lonA) * kx, qy = (y1[i] - latA) * ky;
            if (form == Form.AREA) {
                if (segmentsIntersect(0, 0, bx, by, px, py, qx, qy)) {
                    return true;
                }
            } else if (segmentDistance(0, 0, bx, by, px, py, qx, qy) <= reach) {
                return true;
            }
        }
        return form == Form.AREA && depth(lonA, latA) > 0;
    }

    static double pointSegment(double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax, dy = by - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
        double ex = ax + t * dx - px, ey = ay + t * dy - py;
        return Math.sqrt(ex * ex + ey * ey);
    }

    private static double segmentDistance(
            double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy) {
        if (segmentsIntersect(ax, ay, bx, by, cx, cy, dx, dy)) {
            return 0;
        }
        return Math.min(
                Math.min(pointSegment(ax, ay, cx, cy, dx, dy), pointSegment(bx, by, cx, cy, dx, dy)),
                Math.min(pointSegment(cx, cy, ax, ay, bx, by), pointSegment(dx, dy, ax, ay, bx, by)));
    }

    private static boolean segmentsIntersect(
            double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy) {
        double d1 = cross(cx, cy, dx, dy, ax, ay);
        double d2 = cross(cx, cy, dx, dy, bx, by);
        double d3 = cross(ax, ay, bx, by, cx, cy);
        double d4 = cross(ax, ay, bx, by, dx, dy);
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
    }

    private static double cross(double ax, double ay, double bx, double by, double px, double py) {
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    }
}
