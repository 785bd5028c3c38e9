package org.geoward.device;

/** Checks decoded latitude and longitude before they become a {@link Sighting}. */
public final class Coordinates {

    private Coordinates() {}

    /**
     * Throws unless {@code lat} is within [-90, 90] and {@code lon} within [-180, 180], both finite.
     *
     * @param where the protocol and message the values came from, quoted in the error
     */
    public static void check(double lat, double lon, String where) throws DecodeException {
        if (!Double.isFinite(lat) || lat < -90 || lat > 90) {
            throw new DecodeException("latitude " + lat + " is outside [-90, 90] in " + where);
        }
        if (!Double.isFinite(lon) || lon < -180 || lon > 180) {
            throw new DecodeException("longitude " + lon + " is outside [-180, 180] in " + where);
        }
    }
}
