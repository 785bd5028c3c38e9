package org.geoward.sighting;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks one sighting's own fields (everything but whether its subject exists) and says what is wrong in words a
 * device integrator can act on. Stateless and thread-safe.
 */
final class SightingRules {
    /** How far ahead of the server clock an event time may be: device clocks drift. */
    static final Duration MAX_FUTURE = Duration.ofMinutes(5);

    /**
     * The earliest event time accepted from any door (JSON API, OsmAnd, GT06, OwnTracks, imports) and any source: the
     * GPS epoch, 1980-01-06T00:00:00Z. No satellite fix can be older; an earlier time is a device clock that was
     * never set (GT06 trackers report 2000-01-01 or 1970 then), not a sighting.
     */
    static final Instant EARLIEST = Instant.parse("1980-01-06T00:00:00Z");

    private SightingRules() {}

    /** Returns what is wrong with {@code in} at wall-clock time {@code now}, or null when its fields are fine. */
    static String check(Sighting in, Instant now) {
        int names =
                (in.subjectId() != null ? 1 : 0) + (isBlank(in.deviceId()) ? 0 : 1) + (isBlank(in.trackId()) ? 0 : 1);
        if (names == 0) {
            return "one of subjectId, deviceId or trackId is required";
        }
        if (names > 1) {
            return "give only one of subjectId, deviceId or trackId";
        }
        String position = checkPosition(in.lon(), in.lat());
        if (position != null) {
            return position;
        }
        if (in.time() == null) {
            return "time is required (ISO-8601, e.g. 2026-11-22T08:00:00Z)";
        }
        if (in.time().isBefore(EARLIEST)) {
            return "time " + in.time() + " is before " + EARLIEST + " (the GPS epoch): the device's clock is not set";
        }
        if (in.time().isAfter(now.plus(MAX_FUTURE))) {
            long minutes = Duration.between(now, in.time()).toMinutes();
            return "time " + in.time() + " is " + minutes + " minutes in the future (at most " + MAX_FUTURE.toMinutes()
                    + " allowed)";
        }
        return checkMeasurements(in);
    }

    private static String checkPosition(Double lon, Double lat) {
        if (lon == null) {
            return "lon is required";
        }
        if (lat == null) {
            return "lat is required";
        }
        if (!Double.isFinite(lon)) {
            return "lon " + lon + " is not a finite number";
        }
        if (!Double.isFinite(lat)) {
            return "lat " + lat + " is not a finite number";
        }
        boolean lonOk = Math.abs(lon) <= 180;
        boolean latOk = Math.abs(lat) <= 90;
        boolean swappedFits = Math.abs(lat) <= 180 && Math.abs(lon) <= 90;
        if (!latOk) {
            return "lat " + format(lat) + " is out of range"
                    + (swappedFits ? "; did you swap lon and lat?" : " (-90 to 90)");
        }
        if (!lonOk) {
            return "lon " + format(lon) + " is out of range (-180 to 180)";
        }
        return null;
    }

    private static String checkMeasurements(Sighting in) {
        if (in.accuracy() != null && !(Double.isFinite(in.accuracy()) && in.accuracy() >= 0)) {
            return "accuracy " + format(in.accuracy()) + " must be a finite number of metres >= 0";
        }
        if (in.speed() != null && !(Double.isFinite(in.speed()) && in.speed() >= 0)) {
            return "speed " + format(in.speed()) + " must be a finite number of km/h >= 0";
        }
        if (in.heading() != null && !(Double.isFinite(in.heading()) && in.heading() >= 0 && in.heading() <= 360)) {
            return "heading " + format(in.heading()) + " must be degrees from 0 to 360";
        }
        if (in.battery() != null && !(Double.isFinite(in.battery()) && in.battery() >= 0 && in.battery() <= 100)) {
            return "battery " + format(in.battery()) + " must be a percentage from 0 to 100";
        }
        if (in.evidenceUrl() != null && in.evidenceUrl().length() > 2048) {
            return "evidenceUrl is longer than 2048 characters";
        }
        if (in.phone() != null && in.phone().length() > 64) {
            return "phone is longer than 64 characters";
        }
        return null;
    }

    /** Writes a number as a person would: 95 rather than 95.0. */
    static String format(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
