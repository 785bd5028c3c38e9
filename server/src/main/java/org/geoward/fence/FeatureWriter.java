package org.geoward.fence;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geoward.json.Json;
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
        props.put("dwellMinutes", d.dwellMinutes() == null ? Json.nullNode() : number(d.dwellMinutes()));
        props.put("hysteresisMeters", number(d.hysteresisMeters()));
        props.put("maxGapMinutes", number(d.maxGapMinutes()));
        props.put(
                "subjects",
                Json.array(
                        d.subjects().stream().map(s -> text(String.valueOf(s))).toList()));
        props.put("radiusMeters", d.radiusMeters() == null ? Json.nullNode() : number(d.radiusMeters()));
        props.put("bufferMeters", d.bufferMeters() == null ? Json.nullNode() : number(d.bufferMeters()));
        props.put("active", active(d));
        props.put(
                "categories",
                Json.array(d.categories().stream().map(c -> text(c.name())).toList()));
        props.put("createdAt", instant(fence.createdAt()));
        props.put("updatedAt", instant(fence.updatedAt()));
        props.put("retiredAt", instant(fence.retiredAt()));
        d.extra().forEach(props::putIfAbsent);
        Map<String, JsonNode> feature = new LinkedHashMap<>();
        feature.put("type", text("Feature"));
        feature.put("id", text(id));
        feature.put("geometry", geometry(d.geometry()));
        feature.put("properties", Json.object(props));
        return Json.object(feature);
    }

    /** The fences as a FeatureCollection. */
    static JsonNode collection(List<StoredFence> fences) {
        Map<String, JsonNode> collection = new LinkedHashMap<>();
        collection.put("type", text("FeatureCollection"));
        collection.put(
                "features",
                Json.array(fences.stream().map(FeatureWriter::feature).toList()));
        return Json.object(collection);
    }

    private static JsonNode active(FenceDraft d) {
        Map<String, JsonNode> active = new LinkedHashMap<>();
        active.put(
                "from",
                d.activeFrom() == null ? Json.nullNode() : text(d.activeFrom().toString()));
        active.put(
                "until",
                d.activeUntil() == null ? Json.nullNode() : text(d.activeUntil().toString()));
        active.put("daily", d.dailyFrom() == null ? Json.nullNode() : text(d.dailyFrom() + "-" + d.dailyUntil()));
        active.put("zone", text(d.zone().getId()));
        if (!d.months().isEmpty()) {
            // only when given: {from, until, daily, zone} is what clients have always read
            active.put(
                    "months",
                    Json.array(d.months().stream()
                            .sorted()
                            .map(m -> Json.number(m.intValue()))
                            .toList()));
        }
        return Json.object(active);
    }

    /** A GeoJSON geometry object (RFC 7946) for the JTS geometry. */
    static JsonNode geometry(Geometry g) {
        Map<String, JsonNode> geometry = new LinkedHashMap<>();
        geometry.put("type", text(g.getGeometryType()));
        geometry.put("coordinates", coordinates(g));
        return Json.object(geometry);
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
            return Json.array(rings);
        }
        List<JsonNode> parts = new ArrayList<>();
        for (int i = 0; i < g.getNumGeometries(); i++) {
            parts.add(coordinates(g.getGeometryN(i)));
        }
        return Json.array(parts);
    }

    private static JsonNode positions(Coordinate[] coordinates) {
        List<JsonNode> list = new ArrayList<>(coordinates.length);
        for (Coordinate c : coordinates) {
            list.add(position(c));
        }
        return Json.array(list);
    }

    private static JsonNode position(Coordinate c) {
        return Json.array(List.of(number(c.x), number(c.y)));
    }

    private static JsonNode text(String value) {
        return Json.text(value);
    }

    private static JsonNode number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Json.number((long) value) : Json.number(value);
    }

    private static JsonNode instant(Instant instant) {
        return instant == null ? Json.nullNode() : text(instant.toString());
    }
}
