package org.geoward.sighting;

import java.time.Instant;
import java.util.List;

/**
 * One sighting as reported, before validation. Exactly one of {@code subjectId}, {@code deviceId} (a device's unique
 * id: IMEI or app id) and {@code trackId} (a camera's track, which becomes a VISITOR) names who was seen. Coordinates
 * are WGS 84 degrees; {@code accuracy} is metres, {@code speed} km/h, {@code heading} degrees, {@code battery}
 * percent; {@code time} is the event time. Any field may be null; {@link SightingService#record} says what is
 * missing.
 */
public record SightingInput(
        Long subjectId,
        String deviceId,
        String trackId,
        Instant time,
        Double lon,
        Double lat,
        Double accuracy,
        Source source,
        Double speed,
        Double heading,
        Double battery,
        List<Long> companions,
        boolean sos,
        String phone,
        String evidenceUrl) {

    /** A plain fix of a subject: for device endpoints and tests. */
    public static SightingInput of(long subjectId, Instant time, double lon, double lat) {
        return new SightingInput(
                subjectId, null, null, time, lon, lat, null, null, null, null, null, null, false, null, null);
    }
}
