package org.geoward.bench.load;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One device walking round the {@link Ring}: each {@link #next} moves it one step and stamps the fix with the wall
 * clock in milliseconds, strictly later than its previous fix. Confined to the one sender thread that owns the
 * device; the counts are read after that thread has ended.
 */
final class Walker {
    /** Reported speed: a brisk walk (5 km/h) in knots, as the OsmAnd protocol wants it. */
    private static final double SPEED_KNOTS = 2.7;

    private final BenchDevice device;
    private final double radiusMeters;
    private final double stepRadians;
    private final int accuracyMeters;
    private final String tokenParam;
    private double angle;
    private long lastMillis;
    private long acked;

    Walker(BenchDevice device, double startRadians, double stepRadians, double radiusMeters, int accuracyMeters) {
        this.device = device;
        this.angle = startRadians;
        this.stepRadians = stepRadians;
        this.radiusMeters = radiusMeters;
        this.accuracyMeters = accuracyMeters;
        this.tokenParam =
                device.token() == null ? "" : "&token=" + URLEncoder.encode(device.token(), StandardCharsets.UTF_8);
    }

    BenchDevice device() {
        return device;
    }

    /**
     * Moves one step and returns the request target of the fix, as the Traccar Client app writes it: {@code
     * /?id=..&timestamp=..&lat=..&lon=..&speed=..&bearing=..&altitude=..&accuracy=..&batt=..}. The timestamp is in
     * epoch milliseconds (both Geoward and Traccar read integers above 2^31 as milliseconds): the app's seconds would
     * allow one fix per device per second, and the rest would be dropped as duplicates of the same event time.
     */
    String next() {
        double[] lonLat = step();
        long millis = lastMillis;
        // the compass bearing of the direction of travel (north 0, east 90)
        double sign = Math.signum(stepRadians);
        double heading = (Math.toDegrees(Math.atan2(-Math.sin(angle) * sign, Math.cos(angle) * sign)) + 360) % 360;
        StringBuilder target = new StringBuilder(160)
                .append("/?id=")
                .append(device.uniqueId())
                .append("&timestamp=")
                .append(millis)
                .append("&lat=");
        decimal(target, lonLat[1], 10_000_000L);
        target.append("&lon=");
        decimal(target, lonLat[0], 10_000_000L);
        target.append("&speed=").append(SPEED_KNOTS).append("&bearing=");
        decimal(target, heading, 10);
        return target.append("&altitude=210&accuracy=")
                .append(accuracyMeters)
                .append("&batt=87")
                .append(tokenParam)
                .toString();
    }

    /**
     * Moves one step and returns the new {lon, lat}; {@link #lastMillis} is then its time, the wall clock in epoch
     * milliseconds or 1 ms after the previous fix, whichever is later.
     */
    double[] step() {
        angle += stepRadians;
        lastMillis = Math.max(System.currentTimeMillis(), lastMillis + 1);
        return Ring.lonLat(radiusMeters * Math.cos(angle), radiusMeters * Math.sin(angle));
    }

    /** The time of the last fix {@link #step} made, epoch milliseconds. */
    long lastMillis() {
        return lastMillis;
    }

    /** The accuracy this device reports, metres. */
    int accuracyMeters() {
        return accuracyMeters;
    }

    /** Appends a non-negative {@code value} with as many decimals as {@code scale} has zeros. */
    static void decimal(StringBuilder out, double value, long scale) {
        long units = Math.round(value * scale);
        out.append(units / scale).append('.');
        String fraction = Long.toString(units % scale);
        for (int pad = Long.toString(scale).length() - 1 - fraction.length(); pad > 0; pad--) {
            out.append('0');
        }
        out.append(fraction);
    }

    void countAcked() {
        acked++;
    }

    /** Counts {@code n} fixes stored at once (a JSON batch answered 202, or a COPY committed). */
    void countAcked(int n) {
        acked += n;
    }

    /** The fixes of this device the target answered 200 to. */
    long acked() {
        return acked;
    }
}
