package org.geoward.importer;

import java.time.Instant;
import org.geoward.sighting.Sighting;
import org.geoward.sighting.Source;

/**
 * What one point of an uploaded track read as: its sighting (without a subject yet), or the reason it could not be
 * read.
 *
 * @param line the 1-based line of the file it starts on
 * @param sighting the point read, or null when it is unusable
 * @param error why the point is unusable, or null when it was read
 */
record TrackLine(long line, Sighting sighting, String error) {

    static TrackLine ok(long line, double lon, double lat, Instant time, Double accuracy) {
        Sighting read = Sighting.builder()
                .time(time)
                .at(lon, lat)
                .accuracy(accuracy)
                .source(Source.GPS)
                .build();
        return new TrackLine(line, read, null);
    }

    static TrackLine bad(long line, String error) {
        return new TrackLine(line, null, error);
    }
}
