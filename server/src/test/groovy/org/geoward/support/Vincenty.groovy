package org.geoward.support

/**
 * Vincenty's inverse formula on the WGS 84 ellipsoid (T. Vincenty, Survey Review XXIII, 1975): an independent
 * yardstick for distances that PostGIS and the evaluator compute. Accurate to well under a millimetre for the
 * distances in our tests.
 */
final class Vincenty {
    static final double A = 6378137.0
    static final double F = 1 / 298.257223563
    static final double B = A * (1 - F)

    /** Distance in metres between two WGS 84 points given as lon, lat in degrees. */
    static double metres(double lon1, double lat1, double lon2, double lat2) {
        double L = Math.toRadians(lon2 - lon1)
        double U1 = Math.atan((1 - F) * Math.tan(Math.toRadians(lat1)))
        double U2 = Math.atan((1 - F) * Math.tan(Math.toRadians(lat2)))
        double sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2)
        double lambda = L, lambdaP
        double sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM
        int iterations = 0
        while (true) {
            double sinLambda = Math.sin(lambda), cosLambda = Math.cos(lambda)
            sinSigma = Math.sqrt((cosU2 * sinLambda) ** 2 + (cosU1 * sinU2 - sinU1 * cosU2 * cosLambda) ** 2)
            if (sinSigma == 0) {
                return 0
            }
            cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda
            sigma = Math.atan2(sinSigma, cosSigma)
            double sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma
            cos2Alpha = 1 - sinAlpha * sinAlpha
            cos2SigmaM = cos2Alpha == 0 ? 0 : cosSigma - 2 * sinU1 * sinU2 / cos2Alpha
            double C = F / 16 * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha))
            lambdaP = lambda
            lambda = L + (1 - C) * F * sinAlpha *
                    (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
            if (Math.abs(lambda - lambdaP) < 1e-12 || ++iterations > 200) {
                break
            }
        }
        double uSq = cos2Alpha * (A * A - B * B) / (B * B)
        double bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)))
        double bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)))
        double deltaSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
                bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)))
        return B * bigA * (sigma - deltaSigma)
    }
}
