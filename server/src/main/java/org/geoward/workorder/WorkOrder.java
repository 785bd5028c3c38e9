package org.geoward.workorder;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A work order as the API gives it: its alert's id, status and assignment, what only a work order has (category,
 * severity, photos, deadline, feedback, rating), the grid it lies in, and its timeline, oldest step first. {@code
 * deadlineMet} is null while it is open and not yet overdue.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WorkOrder(
        String id,
        String status,
        Category category,
        @Nullable Severity severity,
        @Nullable String description,
        List<String> photos,
        Source source,
        @Nullable String sourceAlertId,
        String reporter,
        @Nullable String subjectId,
        double lon,
        double lat,
        Instant openedAt,
        Instant deadline,
        @Nullable Boolean deadlineMet,
        @Nullable String unit,
        @Nullable String officerId,
        @Nullable String gridId,
        @Nullable String gridName,
        @Nullable Instant resolvedAt,
        @Nullable String result,
        @Nullable String resultPhoto,
        @Nullable Integer rating,
        @Nullable String ratedBy,
        List<Step> timeline) {

    /** One step of the timeline: when, who, what, the status after it, and its detail. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Step(
            String eventId, Instant at, String actor, String action, String status, Map<String, Object> detail) {}
}
