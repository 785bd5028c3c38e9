package org.geoward.fence;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.geoward.account.Visibility;
import org.geoward.json.Json;
import org.geoward.json.JsonObject;
import org.geoward.problem.ProblemException;

/**
 * Fences as GeoJSON Features. Every committed write invalidates the {@link FenceCatalog}, so the evaluator uses the
 * change from its next fix on. Writes are for ADMIN and DISPATCHER.
 */
@Controller("/api/fences")
@Secured({"ADMIN", "DISPATCHER", "OFFICER", "FAMILY"})
@Tag(name = "fences", description = "Safe zones, danger corridors and ban zones as GeoJSON Features")
final class FenceController {
    private final FenceService fences;
    private final FenceCatalog catalog;
    private final Visibility visibility;

    FenceController(FenceService fences, FenceCatalog catalog, Visibility visibility) {
        this.fences = fences;
        this.catalog = catalog;
        this.visibility = visibility;
    }

    /**
     * What a caller may see of a fence: everything for staff; for a FAMILY user only the SAFE zones that name one
     * of their wards (the danger corridors and ban zones are public places, but a family has no use for them and
     * other families' safe zones are other families' homes).
     */
    private boolean isVisible(StoredFence fence, Authentication authentication) {
        return visibility
                .visibleWards(authentication)
                .map(wards -> fence.draft().kind() == org.geoward.evaluate.FenceKind.SAFE
                        && fence.draft().subjects().stream().anyMatch(wards::contains))
                .orElse(true);
    }

    @Post
    @Secured({"ADMIN", "DISPATCHER"})
    @Operation(
            summary = "Create a fence from a GeoJSON Feature (Polygon, MultiPolygon, Point + radiusMeters,"
                    + " LineString + bufferMeters)")
    HttpResponse<JsonNode> create(@Body @Schema(implementation = JsonObject.class) String feature) {
        StoredFence fence = fences.create(Json.body(feature));
        catalog.invalidate();
        return HttpResponse.created(FeatureWriter.feature(fence), URI.create("/api/fences/" + fence.id()));
    }

    @Get
    @Operation(summary = "The active fences whose area meets bbox=west,south,east,north, as a FeatureCollection")
    JsonNode list(@Nullable @QueryValue String bbox, Authentication authentication) {
        Bbox box = bbox == null || bbox.isBlank() ? null : Bbox.parse(bbox);
        return FeatureWriter.collection(fences.list(box).stream()
                .filter(f -> isVisible(f, authentication))
                .toList());
    }

    @Get("/{id}")
    @Operation(summary = "One fence as a Feature; a retired fence has properties.retiredAt")
    JsonNode find(@PathVariable String id, Authentication authentication) {
        StoredFence fence = fences.find(parseId(id));
        if (!isVisible(fence, authentication)) {
            throw ProblemException.notFound("fence", id);
        }
        return FeatureWriter.feature(fence);
    }

    @Put("/{id}")
    @Secured({"ADMIN", "DISPATCHER"})
    @Operation(summary = "Replace a fence; applies from the next fix, nothing is re-evaluated")
    JsonNode replace(@PathVariable String id, @Body @Schema(implementation = JsonObject.class) String feature) {
        StoredFence fence = fences.replace(parseId(id), Json.body(feature));
        catalog.invalidate();
        return FeatureWriter.feature(fence);
    }

    @Delete("/{id}")
    @Secured({"ADMIN", "DISPATCHER"})
    @Operation(summary = "Retire a fence: it stops applying, its alerts stay")
    HttpResponse<Void> retire(@PathVariable String id) {
        fences.retire(parseId(id));
        catalog.invalidate();
        return HttpResponse.noContent();
    }

    @Get("/{id}/occupants")
    @Secured({"ADMIN", "DISPATCHER", "OFFICER"})
    @Operation(
            summary = "Who is inside the fence now, by each subject's latest position (an officer: only the subjects"
                    + " of their task)")
    List<Occupant> occupants(@PathVariable String id, Authentication authentication) {
        List<Occupant> inside = fences.occupants(parseId(id));
        return visibility
                .visibleSubjects(authentication)
                .map(visible -> inside.stream()
                        .filter(o -> visible.contains(Long.valueOf(o.subjectId())))
                        .toList())
                .orElse(inside);
    }

    private static long parseId(String id) {
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // not found below
        }
        throw ProblemException.notFound("fence", id);
    }
}
