package org.geoward.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert as a GeoJSON Feature: the point is its subject's last known position (null when none is known). Ids are
 * strings. {@code timeline} is set by {@code GET /api/alerts/{id}}, {@code step} on each SSE event (the timeline row
 * the event stands for); both are left out elsewhere.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertFeature(
        String type,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Point geometry,
        Properties properties,
        @Nullable List<TimelineEntry> timeline,
        @Nullable TimelineEntry step) {

    /** A GeoJSON Point: {@code [lon, lat]}. */
    @Serdeable
    public record Point(String type, double[] coordinates) {
        static Point of(double lon, double lat) {
            return new Point("Point", new double[] {lon, lat});
        }
    }

    /** What the web map and the outside checks read; field names are part of the API contract. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Properties(
            String id,
            String type,
            String status,
            String subjectId,
            @Nullable String fenceId,
            Instant openedAt,
            Instant updatedAt,
            @Nullable Instant resolvedAt,
            @Nullable String outcome,
            @Nullable String assignedOfficerId,
            String subjectName,
            @Nullable String fenceName,
            @Nullable String detail,
            @Nullable String note,
            @Nullable String evidenceUrl,
            @Nullable Instant lastFixAt) {}

    /** One row of the timeline: who did what, when, and the status after it. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TimelineEntry(
            String id, Instant at, String actor, String action, String status, Map<String, Object> detail) {}

    /** The same feature with its timeline. */
    AlertFeature withTimeline(List<TimelineEntry> entries) {
        return new AlertFeature(type, geometry, properties, entries, null);
    }

    /** The same feature as the SSE data of one step. */
    AlertFeature withStep(TimelineEntry entry) {
        return new AlertFeature(type, geometry, properties, null, entry);
    }

    /** {@code GET /api/alerts}: a FeatureCollection. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Collection(String type, List<AlertFeature> features) {
        static Collection of(List<AlertFeature> features) {
            return new Collection("FeatureCollection", features);
        }
    }
}
