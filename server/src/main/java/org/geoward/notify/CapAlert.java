package org.geoward.notify;

import java.time.Instant;
import java.util.List;

/**
 * What a CAP document says about one alert.
 *
 * @param firstEventId the id of the step that opened it (the identifier of its first CAP message)
 * @param lastEventId the id of its latest step (the identifier of this CAP message)
 * @param circles CAP circles, {@code "lat,lon radiusKm"}
 * @param polygons CAP polygons, {@code "lat,lon lat,lon ..."}, first point repeated last
 */
record CapAlert(
        long id,
        String type,
        String status,
        String subjectName,
        String placeName,
        Instant openedAt,
        Instant updatedAt,
        long firstEventId,
        Instant firstEventAt,
        long lastEventId,
        Instant lastEventAt,
        List<String> circles,
        List<String> polygons) {}
