package org.geoward.fence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import org.geoward.evaluate.SubjectKind;

/**
 * A subject whose latest position lies in a fence.
 *
 * @param since event time (ISO-8601) of that latest position
 * @param accuracy of the position in metres, or null
 */
@Serdeable
record Occupant(
        String subjectId,
        String name,
        SubjectKind kind,
        String since,
        double lon,
        double lat,
        @Nullable Double accuracy) {}
