package org.geoward.importer;

import java.time.Instant;

/**
 * One point read from an uploaded track, or the reason it could not be read.
 *
 * @param line the 1-based line of the file it starts on
 * @param error why the point is unusable, or null when lon, lat and time were read
 */
record TrackPoint(long line, Double lon, Double lat, Instant time, Double accuracy, String error) {

    static TrackPoint ok(long line, double lon, double lat, Instant time, Double accuracy) {
        return new TrackPoint(line, lon, lat, time, accuracy, null);
    }

    static TrackPoint bad(long line, String error) {
        return new TrackPoint(line, null, null, null, null, error);
    }
}
