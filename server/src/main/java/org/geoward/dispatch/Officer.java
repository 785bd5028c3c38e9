package org.geoward.dispatch;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * An officer as {@code GET /api/officers} lists them: unit, status, travel mode, the last fix as a GeoJSON point
 * ({@code [lon, lat]}) with its event time and age in seconds, whether it is stale, and the unresolved alert
 * assigned to them.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Officer(
        String id,
        String name,
        @Nullable String unit,
        @Nullable String status,
        String travelMode,
        @Nullable Point position,
        @Nullable Instant fixAt,
        @Nullable Long fixAgeSeconds,
        boolean stale,
        @Nullable String assignedAlertId) {

    /** A GeoJSON Point. */
    @Serdeable
    public record Point(String type, List<Double> coordinates) {
        static Point of(double lon, double lat) {
            return new Point("Point", List.of(lon, lat));
        }
    }
}
