package org.geoward.fence;

import io.micronaut.json.tree.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Writes stored fences as GeoJSON Features: the geometry as given, the fence's own properties (ids as strings,
 * {@code active} always as {@code {from, until, daily: "HH:MM-HH:MM", zone}}, plus {@code months} when given), then the properties it was given
 * that Geoward does not read. Stateless.
 */
final class FeatureWriter {
    private FeatureWriter() {}

    /** The fence as a Feature with {@code id} both on the Feature and in its properties. */
    static JsonNode feature(StoredFence fence) {
        FenceDraft d = fence.draft();
        String id = String.valueOf(fence.id());
        Map<String, JsonNode> props = new LinkedHashMap<>();
        props.put("id", text(id));
        props.put("name", text(d.name()));
        props.put("kind", text(d.kind().name()));
        props.put("dwellMinutes", d.dwellMinutes() == null ? JsonNode.nullNode() : number(d.dwellMinutes()));
        props.put("hysteresisMeters", number(d.hysteresisMeters()));
        props.put("maxGapMinutes", number(d.maxGapMinutes()));
        props.put(
                "subjects",
                JsonNode.createArrayNode(
                        d.subjects().stream().map(s -> text(String.valueOf(s))).toList()));
        props.put("radiusMeters", d.radiusMeters() == null ? JsonNode.nullNode() : number(d.radiusMeters()));
        props.put("bufferMeters", d.bufferMeters() == null ? JsonNode.nullNode() : number(d.bufferMeters()));
        props.put("active", active(d));
        props.put(
                "categories",
                JsonNode.createArrayNode(
                        d.categories().stream().map(c -> text(c.name())).toList()));
        props.put("createdAt", instant(fence.createdAt()));
        props.put("updatedAt", instant(fence.updatedAt()));
        props.put("retiredAt", instant(fence.retiredAt()));
        d.extra().forEach(props::putIfAbsent);
        Map<String, JsonNode> feature = new LinkedHashMap<>();
        feature.put("type", text("Feature"));
        feature.put("id", text(id));
        feature.put("geometry", geometry(d.geometry()));
        feature.put("properties", JsonNode.createObjectNode(props));
        return JsonNode.createObjectNode(feature);
    }

    /** The fences as a FeatureCollection. */
    static JsonNode collection(List<StoredFence> fences) {
        Map<String, JsonNode> collection = new LinkedHashMap<>();
        collection.put("type", text("FeatureCollection"));
        collection.put(
                "features",
                JsonNode.createArrayNode(
                        fences.stream().map(FeatureWriter::feature).toList()));
        return JsonNode.createObjectNode(collection);
    }

    private static JsonNode active(FenceDraft d) {
        Map<String, JsonNode> active = new LinkedHashMap<>();
        active.put(
                "from",
                d.activeFrom() == null
                        ? JsonNode.nullNode()
                        : text(d.activeFrom().toString()));
        active.put(
                "until",
                d.activeUntil() == null
                        ? JsonNode.nullNode()
                        : text(d.activeUntil().toString()));
        active.put("daily", d.dailyFrom() == null ? JsonNode.nullNode() : text(d.dailyFrom() + "-" + d.dailyUntil()));
        active.put("zone", text(d.zone().getId()));
        if (!d.months().isEmpty()) {
            // only when given: {from, until, daily, zone} is what clients have always read
            active.put(
                    "months",
                    JsonNode.createArrayNode(d.months().stream()
                            .sorted()
                            .map(m -> JsonNode.createNumberNode(m.intValue()))
                            .toList()));
        }
        return JsonNode.createObjectNode(active);
    }

    /** A GeoJSON geometry object (RFC 7946) for the JTS geometry. */
    static JsonNode geometry(Geometry g) {
        Map<String, JsonNode> geometry = new LinkedHashMap<>();
        geometry.put("type", text(g.getGeometryType()));
        geometry.put("coordinates", coordinates(g));
        return JsonNode.createObjectNode(geometry);
    }

    private static JsonNode coordinates(Geometry g) {
        if (g instanceof Point p) {
            return position(p.getCoordinate());
        }
        if (g instanceof LineString line) {
            return positions(line.getCoordinates());
        }
        if (g instanceof Polygon polygon) {
            List<JsonNode> rings = new ArrayList<>();
            rings.add(positions(polygon.getExteriorRing().getCoordinates()));
            for (int i = 0; i < polygon.getNumInteriorRing(); i++) {
                rings.add(positions(polygon.getInteriorRingN(i).getCoordinates()));
            }
            return JsonNode.createArrayNode(rings);
        }
        List<JsonNode> parts = new ArrayList<>();
        for (int i = 0; i < g.getNumGeometries(); i++) {
            parts.add(coordinates(g.getGeometryN(i)));
        }
        return JsonNode.createArrayNode(parts);
    }

    private static JsonNode positions(Coordinate[] coordinates) {
        List<JsonNode> list = new ArrayList<>(coordinates.length);
        for (Coordinate c : coordinates) {
            list.add(position(c));
        }
        return JsonNode.createArrayNode(list);
    }

    private static JsonNode position(Coordinate c) {
        return JsonNode.createArrayNode(List.of(number(c.x), number(c.y)));
    }

    private static JsonNode text(String value) {
        return JsonNode.createStringNode(value);
    }

    private static JsonNode number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? JsonNode.createNumberNode((long) value)
                : JsonNode.createNumberNode(value);
    }

    private static JsonNode instant(Instant instant) {
        return instant == null ? JsonNode.nullNode() : text(instant.toString());
    }
}
