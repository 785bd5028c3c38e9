package org.geoward.evaluate;

/**
 * Measures short distances on the WGS 84 ellipsoid with a local equirectangular frame whose scale uses the meridian
 * and prime-vertical radii of curvature. Relative error stays below 1e-5 up to 10 km between the two points.
 */
final class Geodesy {
    static final double A = 6378137.0;
    static final double F = 1 / 298.257223563;
    static final double E2 = F * (2 - F);
    private static final double RAD = Math.PI / 180;

    private Geodesy() {}

    /** Returns metres per degree of latitude at the given latitude (degrees). */
    static double metersPerDegreeLat(double lat) {
        double s = Math.sin(lat * RAD);
        double w = 1 - E2 * s * s;
        return A * (1 - E2) / (w * Math.sqrt(w)) * RAD;
    }

    /** Returns metres per degree of longitude at the given latitude (degrees). */
    static double metersPerDegreeLon(double lat) {
        double s = Math.sin(lat * RAD);
        return A / Math.sqrt(1 - E2 * s * s) * Math.cos(lat * RAD) * RAD;
    }

    /** Returns the distance in metres between two nearby points given in degrees. */
    static double distanceMeters(double lon1, double lat1, double lon2, double lat2) {
        double mid = (lat1 + lat2) / 2;
        double dx = (lon2 - lon1) * metersPerDegreeLon(mid);
        double dy = (lat2 - lat1) * metersPerDegreeLat(mid);
        return Math.sqrt(dx * dx + dy * dy);
    }
}
