package org.geoward.subject;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A registered device as the API lists it; its token is never shown again after registration.
 *
 * @param createdAt ISO-8601 instant
 * @param lastSeenAt ISO-8601 instant of its last report, or null
 */
@Serdeable
public record Device(
        String id,
        String uniqueId,
        DeviceProtocol protocol,
        String subjectId,
        boolean hasToken,
        String createdAt,
        @Nullable String lastSeenAt) {}
