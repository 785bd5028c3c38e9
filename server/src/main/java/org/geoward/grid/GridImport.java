package org.geoward.grid;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geoward.fence.FenceService;
import org.geoward.fence.StoredFence;
import org.geoward.json.Json;
import org.geoward.problem.ProblemException;

/**
 * Imports a city's grid cells from a GeoJSON FeatureCollection: each Feature (Polygon or MultiPolygon) becomes a
 * GRID fence with {@code properties.name}, optional {@code properties.unit} and {@code properties.officers} ({@code
 * [{officerId, role}]}); the other properties are kept on the fence as given. A Feature at fault is rejected with the
 * reason and the rest are imported. Thread-safe.
 */
@Singleton
class GridImport {
    private final FenceService fences;
    private final GridService grids;

    GridImport(FenceService fences, GridService grids) {
        this.fences = fences;
        this.grids = grids;
    }

    /** What an import did: the grids made, and each Feature refused with its index, field and reason. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Result(List<Created> created, List<Rejected> rejected) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Created(int index, String id, String name) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Rejected(int index, String field, String error) {}

    Result run(JsonNode collection) {
        JsonNode features = collection == null ? null : collection.get("features");
        if (collection == null
                || !collection.isObject()
                || features == null
                || !features.isArray()
                || !"FeatureCollection".equals(text(collection.get("type")))) {
            throw ProblemException.badRequest(
                    "type", "The body must be a GeoJSON FeatureCollection with a features array of grid cells");
        }
        List<Created> created = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            String path = "features[" + i + "].properties.";
            try {
                JsonNode feature = features.get(i);
                JsonNode props = feature.isObject() ? feature.get("properties") : null;
                Map<Long, OfficerRole> officers =
                        GridService.members(props == null ? null : props.get("officers"), path);
                grids.checkOfficers(officers, path);
                StoredFence fence = fences.create(asGrid(feature));
                grids.writeOfficers(fence.id(), officers, path);
                created.add(
                        new Created(i, Long.toString(fence.id()), fence.draft().name()));
            } catch (ProblemException e) {
                String field = e.field() == null || e.field().startsWith("features[")
                        ? e.field()
                        : "features[" + i + "]." + e.field();
                rejected.add(new Rejected(i, field, e.getMessage()));
            }
        }
        return new Result(created, rejected);
    }

    /** The Feature with {@code properties.kind} set to GRID and {@code officers} left to the grid tables. */
    private static JsonNode asGrid(JsonNode feature) {
        if (!feature.isObject()) {
            return feature;
        }
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        feature.properties().forEach(e -> copy.put(e.getKey(), e.getValue()));
        Map<String, JsonNode> props = new LinkedHashMap<>();
        JsonNode given = feature.get("properties");
        if (given != null && given.isObject()) {
            given.properties().forEach(e -> props.put(e.getKey(), e.getValue()));
        }
        props.remove("officers");
        props.put("kind", Json.text("GRID"));
        copy.put("properties", Json.object(props));
        return Json.object(copy);
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }
}
