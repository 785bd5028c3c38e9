package org.geoward.dispatch;

import io.micronaut.serde.annotation.Serdeable;

/**
 * One officer offered for an alert, as {@code GET /api/alerts/{id}/nearest-officers} returns it: the geodesic
 * distance in metres from the officer's last fix to the target, the ETA in seconds at the officer's travel speed, and
 * the age of the fix in seconds; {@code stale} when the fix is older than the configured threshold.
 */
@Serdeable
public record Candidate(
        String officerId,
        String name,
        String unit,
        double distanceMeters,
        long etaSeconds,
        long fixAgeSeconds,
        boolean stale) {

    long id() {
        return Long.parseLong(officerId);
    }
}
