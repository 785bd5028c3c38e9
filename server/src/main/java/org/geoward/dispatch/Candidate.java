package org.geoward.dispatch;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One officer offered for an alert, as {@code GET /api/alerts/{id}/nearest-officers} returns it: the distance in
 * metres from the officer's last fix to the target (geodesic, or along the river for a BOAT officer: {@code route}
 * RIVER), the ETA in seconds at the officer's travel speed, and the age of the fix in seconds; {@code stale} when
 * the fix is older than the configured threshold. {@code reason} says why the officer is listed: GRID_OFFICER (an
 * officer of the grid the alert lies in, {@code gridName}, in {@code gridRole}, offered first) or NEAREST; {@code
 * why} says it in words.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Candidate(
        String officerId,
        String name,
        String unit,
        double distanceMeters,
        long etaSeconds,
        long fixAgeSeconds,
        boolean stale,
        Reason reason,
        Route route,
        @Nullable String gridName,
        @Nullable String gridRole,
        String why) {

    /** Why an officer is offered. */
    public enum Reason {
        /** Responsible for the grid the alert lies in, available and within geoward.dispatch.grid-meters. */
        GRID_OFFICER,
        /** Among the nearest available officers of the unit the alert's type calls for. */
        NEAREST
    }

    /** How the distance was measured. */
    public enum Route {
        /** The geodesic straight line. */
        STRAIGHT,
        /** Along the river channels (BOAT officers). */
        RIVER
    }

    long id() {
        return Long.parseLong(officerId);
    }
}
