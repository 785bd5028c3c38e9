package org.geoward.sensor;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A sensor at a ward's home as the API shows it. Ids are strings; {@code lon}/{@code lat} are the home (WGS 84
 * degrees); {@code token} is the secret the sensor presents with its alarms, shown only in the answer to its
 * registration (Geoward keeps a bcrypt hash), null everywhere else.
 *
 * @param createdAt ISO-8601 instant
 * @param lastAlarmAt ISO-8601 instant of its last alarm, or null
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record HomeSensor(
        String id,
        String subjectId,
        String kind,
        String uniqueId,
        double lon,
        double lat,
        @Nullable String room,
        String createdAt,
        @Nullable String lastAlarmAt,
        @Nullable String token) {}
