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
    /** Per whole degree of absolute latitude b: the largest metres per degree of longitude / latitude in [b, b+1]. */
    private static final double[] LON_SCALE_BOUND = new double[91];

    private static final double[] LAT_SCALE_BOUND = new double[91];

    static {
        for (int b = 0; b <= 90; b++) {
            LON_SCALE_BOUND[b] = metersPerDegreeLon(b) * (1 + 1e-9);
            LAT_SCALE_BOUND[b] = metersPerDegreeLat(Math.min(90, b + 1)) * (1 + 1e-9);
        }
    }

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

    /** Returns at least the metres per degree of longitude at any latitude within the latitude's whole degree. */
    static double lonScaleBound(double lat) {
        return LON_SCALE_BOUND[Math.min(90, (int) Math.abs(lat))];
    }

    /** Returns at least the metres per degree of latitude at any latitude within the latitude's whole degree. */
    static double latScaleBound(double lat) {
        return LAT_SCALE_BOUND[Math.min(90, (int) Math.abs(lat))];
    }

    /** Returns at least {@link #distanceMeters}, without trigonometry. */
    static double distanceBound(double lon1, double lat1, double lon2, double lat2) {
        double lowAbsLat = (lat1 < 0) != (lat2 < 0) ? 0 : Math.min(Math.abs(lat1), Math.abs(lat2));
        double highAbsLat = Math.max(Math.abs(lat1), Math.abs(lat2));
        double dx = (lon2 - lon1) * lonScaleBound(lowAbsLat);
        double dy = (lat2 - lat1) * latScaleBound(highAbsLat);
        return Math.sqrt(dx * dx + dy * dy) * (1 + 1e-9);
    }

    /** Returns the distance in metres between two nearby points given in degrees. */
    static double distanceMeters(double lon1, double lat1, double lon2, double lat2) {
        double mid = (lat1 + lat2) / 2;
        double dx = (lon2 - lon1) * metersPerDegreeLon(mid);
        double dy = (lat2 - lat1) * metersPerDegreeLat(mid);
        return Math.sqrt(dx * dx + dy * dy);
    }
}
