package org.geoward.dispatch;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What a dispatch step left behind, as the assign, accept and arrive endpoints return it: the alert, its status, its
 * officer, and for an assignment the distance (metres) and ETA (seconds) from the officer's last fix, when known.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Assignment(
        String alertId,
        String status,
        @Nullable String officerId,
        @Nullable String officerName,
        @Nullable String unit,
        @Nullable Double distanceMeters,
        @Nullable Long etaSeconds,
        String action) {}
