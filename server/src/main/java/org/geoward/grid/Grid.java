package org.geoward.grid;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * A grid as {@code GET /api/grids} gives it: the GRID fence's id and name, its responsible unit, its officers, and
 * its open items (the unresolved alerts whose position lies inside it, oldest first).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Grid(String id, String name, @Nullable String unit, List<Member> officers, List<OpenItem> openItems) {

    /** An officer responsible in the grid, with their role, unit and current status. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Member(
            String officerId, String name, OfficerRole role, @Nullable String unit, @Nullable String status) {}

    /** An unresolved alert inside the grid. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OpenItem(
            String alertId, String type, String status, Instant openedAt, @Nullable String subjectName) {}
}
