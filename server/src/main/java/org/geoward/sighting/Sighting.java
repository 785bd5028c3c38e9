package org.geoward.sighting;

import java.time.Instant;
import java.util.List;

/**
 * One validated sighting as stored in {@code sighting}: the subject it belongs to, its event time (microsecond
 * precision, as PostgreSQL keeps it), WGS 84 lon/lat in degrees and the optional measurements (accuracy metres, speed
 * km/h, heading degrees, battery percent; null when not reported).
 *
 * @param deviceId the {@code device} row that reported it, or null
 * @param companions subject ids seen together with this one; never null
 */
public record Sighting(
        long subjectId,
        Instant time,
        double lon,
        double lat,
        Double accuracy,
        Source source,
        Double speed,
        Double heading,
        Double battery,
        List<Long> companions,
        boolean sos,
        String phone,
        String evidenceUrl,
        Long deviceId) {

    public Sighting {
        companions = companions == null ? List.of() : List.copyOf(companions);
        source = source == null ? Source.GPS : source;
    }
}
