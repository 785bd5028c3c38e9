package org.geoward.geo;

/**
 * Short distances on the WGS 84 ellipsoid, from a local equirectangular frame scaled by the meridian and
 * prime-vertical radii of curvature at the mid latitude. Relative error below 1e-5 up to 10 km between the two
 * points; sum the segments of a longer path. Stateless and thread-safe.
 */
public final class Geodesic {
    private static final double A = 6378137.0;
    private static final double F = 1 / 298.257223563;
    private static final double E2 = F * (2 - F);
    private static final double RAD = Math.PI / 180;

    private Geodesic() {}

    /** Returns the distance in metres between two nearby points given as lon, lat in degrees. */
    public static double distanceMeters(double lon1, double lat1, double lon2, double lat2) {
        double mid = (lat1 + lat2) / 2;
        double dx = (lon2 - lon1) * metersPerDegreeLon(mid);
        double dy = (lat2 - lat1) * metersPerDegreeLat(mid);
        return Math.sqrt(dx * dx + dy * dy);
    }

    /** Returns metres per degree of latitude at the given latitude (degrees). */
    public static double metersPerDegreeLat(double lat) {
        double s = Math.sin(lat * RAD);
        double w = 1 - E2 * s * s;
        return A * (1 - E2) / (w * Math.sqrt(w)) * RAD;
    }

    /** Returns metres per degree of longitude at the given latitude (degrees). */
    public static double metersPerDegreeLon(double lat) {
        double s = Math.sin(lat * RAD);
        return A / Math.sqrt(1 - E2 * s * s) * Math.cos(lat * RAD) * RAD;
    }
}
