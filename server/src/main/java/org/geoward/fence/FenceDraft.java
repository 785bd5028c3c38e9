package org.geoward.fence;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.geoward.evaluate.FenceKind;
import org.geoward.evaluate.SubjectCategory;
import org.locationtech.jts.geom.Geometry;

/**
 * A fence as a Feature describes it, checked and with defaults filled in.
 *
 * @param geometry as given: Polygon / MultiPolygon, Point (circle) or LineString / MultiLineString (corridor)
 * @param radiusMeters the circle's radius for a Point, else null
 * @param bufferMeters the corridor's half-width for a line, else null
 * @param dwellMinutes stay after which LOITER is raised (BAN; default 30), or null
 * @param activeFrom first day active (inclusive, in {@code zone}), or null
 * @param activeUntil last day active (inclusive), or null
 * @param dailyFrom daily start (inclusive), or null; may be after {@code dailyUntil} (overnight)
 * @param dailyUntil daily end (exclusive), or null
 * @param months months of every year it is active in (1-12); empty means every month
 * @param categories the key populations it applies to; empty means any
 * @param extra the Feature's other properties, kept and returned as given
 */
public record FenceDraft(
        String name,
        FenceKind kind,
        Geometry geometry,
        Double radiusMeters,
        Double bufferMeters,
        double hysteresisMeters,
        Integer dwellMinutes,
        int maxGapMinutes,
        Set<Long> subjects,
        LocalDate activeFrom,
        LocalDate activeUntil,
        LocalTime dailyFrom,
        LocalTime dailyUntil,
        ZoneId zone,
        Set<Integer> months,
        Set<SubjectCategory> categories,
        Map<String, JsonNode> extra) {

    /** The meters a Point or line is buffered by to make the covered area; null for polygons. */
    Double reachMeters() {
        return radiusMeters != null ? radiusMeters : bufferMeters;
    }
}
