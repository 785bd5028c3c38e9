package org.geoward.bench.load;

/**
 * The world the load walks in, around Fuling (107.39 E, 29.70 N): {@code fences} octagons evenly spaced on a ring of
 * at least 1 km radius, each about a third of the arc between two fences wide, and walkers going round that ring at
 * their own offsets from it, so that every walker keeps entering and leaving fences. Immutable and thread-safe.
 */
final class Ring {
    static final double CENTRE_LON = 107.39;
    static final double CENTRE_LAT = 29.70;
    /** Metres per degree at the centre's latitude (spherical approximation, good to 0.5 % over a few km). */
    static final double M_PER_DEG_LAT = 110_850;

    static final double M_PER_DEG_LON = 111_320 * Math.cos(Math.toRadians(CENTRE_LAT));

    private static final int OCTAGON = 8;

    private final int fences;
    private final double radiusMeters;
    private final double fenceRadiusMeters;
    private final double fenceShiftMeters;

    Ring(int fences) {
        this(fences, 0);
    }

    /**
     * A ring whose fences are moved {@code fenceShiftMeters} east of where the walks go (0: on the ring), so that with
     * a shift of a few kilometres no walk ever comes near a fence; the walkers are the same either way.
     */
    Ring(int fences, double fenceShiftMeters) {
        this.fences = fences;
        this.radiusMeters = Math.max(1_000, fences * 400 / (2 * Math.PI));
        this.fenceRadiusMeters = Math.min(400, 0.3 * 2 * Math.PI * radiusMeters / fences);
        this.fenceShiftMeters = fenceShiftMeters;
    }

    int fences() {
        return fences;
    }

    /** The closed outline of fence {@code k} as {lon, lat} pairs, counter-clockwise, first point repeated last. */
    double[][] outline(int k) {
        double angle = 2 * Math.PI * k / fences;
        double cx = radiusMeters * Math.cos(angle) + fenceShiftMeters;
        double cy = radiusMeters * Math.sin(angle);
        double[][] points = new double[OCTAGON + 1][];
        for (int i = 0; i <= OCTAGON; i++) {
            double a = 2 * Math.PI * (i % OCTAGON) / OCTAGON;
            points[i] = lonLat(cx + fenceRadiusMeters * Math.cos(a), cy + fenceRadiusMeters * Math.sin(a));
        }
        return points;
    }

    /** Walker {@code d} of {@code walkers}, for {@code device}: its own start, direction and offset from the ring. */
    Walker walker(int d, int walkers, double stepMeters, BenchDevice device) {
        double start = 2 * Math.PI * d / walkers;
        // offsets in [-0.6, 0.6] x the fence radius: every walk cuts through every fence, some near the edge
        double offset = fenceRadiusMeters * 0.6 * (((d * 7919L) % 101) / 50.0 - 1);
        double radius = radiusMeters + offset;
        double sign = d % 2 == 0 ? 1 : -1;
        return new Walker(device, start, sign * stepMeters / radius, radius, (d % 10) + 5);
    }

    /** The {lon, lat} of a point {@code x} metres east and {@code y} metres north of the centre. */
    static double[] lonLat(double x, double y) {
        return new double[] {CENTRE_LON + x / M_PER_DEG_LON, CENTRE_LAT + y / M_PER_DEG_LAT};
    }

    /** A polygon as Traccar writes its WKT: latitude first (Traccar's GeofencePolygon reads "lat lon"). */
    String wktLatLon(int k) {
        StringBuilder wkt = new StringBuilder("POLYGON((");
        double[][] points = outline(k);
        for (int i = 0; i < points.length; i++) {
            wkt.append(i == 0 ? "" : ", ").append(points[i][1]).append(' ').append(points[i][0]);
        }
        return wkt.append("))").toString();
    }

    /** The GeoJSON coordinates of fence {@code k}'s polygon: {@code [[[lon, lat], ...]]}. */
    String geoJsonCoordinates(int k) {
        StringBuilder json = new StringBuilder("[[");
        double[][] points = outline(k);
        for (int i = 0; i < points.length; i++) {
            json.append(i == 0 ? "" : ",")
                    .append('[')
                    .append(points[i][0])
                    .append(',')
                    .append(points[i][1])
                    .append(']');
        }
        return json.append("]]").toString();
    }
}
