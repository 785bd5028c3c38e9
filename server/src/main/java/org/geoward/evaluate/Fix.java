package org.geoward.evaluate;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Holds one position report of a subject: event time, WGS 84 lon/lat in degrees and horizontal accuracy in metres
 * (NaN or 0 means unknown and is treated as 0).
 *
 * @param companions subject ids recognised together with this subject (e.g. by a camera); never null
 * @param category the ward's key population, or null (none recorded, or not a ward)
 */
public record Fix(
        long subjectId,
        SubjectKind subjectKind,
        Instant time,
        double lon,
        double lat,
        double accuracyMeters,
        boolean sos,
        Set<Long> companions,
        SubjectCategory category) {

    public Fix {
        Objects.requireNonNull(subjectKind, "subjectKind");
        Objects.requireNonNull(time, "time");
        companions = companions == null ? Set.of() : Set.copyOf(companions);
        if (Double.isNaN(accuracyMeters) || accuracyMeters < 0) {
            accuracyMeters = 0;
        }
    }

    /** Creates a plain fix with unknown accuracy, no SOS and no companions. */
    public static Fix at(long subjectId, SubjectKind kind, Instant time, double lon, double lat) {
        return new Fix(subjectId, kind, time, lon, lat, 0, false, Set.of(), null);
    }
}
