package org.geoward.fence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.geoward.geo.Geometries;
import org.geoward.json.JsonValues;
import org.geoward.problem.ProblemException;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Reads the GeoJSON geometry of a fence (RFC 7946, {@code [lon, lat]}) into JTS, refusing what a fence cannot be
 * with the JSON path of the fault: {@code geometry.coordinates[0][3]} for a position out of range, with a hint when
 * latitude and longitude look swapped. Polygons must be valid by JTS {@link IsValidOp}. Stateless.
 */
final class GeoJsonGeometryReader {
    private static final GeometryFactory FACTORY = Geometries.FACTORY;
    private static final String ROOT = "geometry";
    private static final String TYPES = "Polygon, MultiPolygon, Point (a circle, with properties.radiusMeters)"
            + " or LineString / MultiLineString (a corridor, with properties.bufferMeters)";

    private GeoJsonGeometryReader() {}

    /** Reads the Feature's {@code geometry} member; throws a 400 naming the path at fault. */
    static Geometry read(JsonNode geometry) {
        if (geometry == null || geometry.isNull()) {
            throw ProblemException.badRequest(ROOT, "The Feature has no geometry: a fence needs a " + TYPES);
        }
        if (!geometry.isObject()) {
            throw ProblemException.badRequest(ROOT, "geometry must be a GeoJSON geometry object");
        }
        JsonNode type = geometry.get("type");
        if (type == null || !type.isTextual()) {
            throw ProblemException.badRequest(ROOT + ".type", "geometry.type is required: one of " + TYPES);
        }
        String path = ROOT + ".coordinates";
        JsonNode coordinates = geometry.get("coordinates");
        if (!isSupported(type.textValue())) {
            throw ProblemException.badRequest(
                    ROOT + ".type", "geometry type '" + type.textValue() + "' is not supported: use a " + TYPES);
        }
        if (coordinates == null || !coordinates.isArray()) {
            throw ProblemException.badRequest(path, path + " is required and must be an array");
        }
        Geometry result =
                switch (type.textValue()) {
                    case "Point" -> FACTORY.createPoint(position(coordinates, path));
                    case "LineString" -> line(coordinates, path);
                    case "MultiLineString" -> FACTORY.createMultiLineString(
                            each(coordinates, path, GeoJsonGeometryReader::line).toArray(LineString[]::new));
                    case "Polygon" -> polygon(coordinates, path);
                    default -> FACTORY.createMultiPolygon(each(coordinates, path, GeoJsonGeometryReader::polygon)
                            .toArray(Polygon[]::new));
                };
        checkValid(result, path);
        return result;
    }

    private static boolean isSupported(String type) {
        return List.of("Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
                .contains(type);
    }

    private interface Part<T> {
        T read(JsonNode node, String path);
    }

    private static <T> List<T> each(JsonNode array, String path, Part<T> part) {
        if (array.size() == 0) {
            throw ProblemException.badRequest(path, path + " is empty");
        }
        List<T> parts = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode node = array.get(i);
            if (node == null || !node.isArray()) {
                throw ProblemException.badRequest(at, at + " must be an array");
            }
            parts.add(part.read(node, at));
        }
        return parts;
    }

    private static LineString line(JsonNode node, String path) {
        List<Coordinate> points = each(node, path, GeoJsonGeometryReader::position);
        if (points.size() < 2) {
            throw ProblemException.badRequest(path, "A line needs at least 2 positions; " + path + " has 1");
        }
        return FACTORY.createLineString(points.toArray(Coordinate[]::new));
    }

    private static Polygon polygon(JsonNode node, String path) {
        List<LinearRing> rings = each(node, path, GeoJsonGeometryReader::ring);
        return FACTORY.createPolygon(
                rings.get(0), rings.subList(1, rings.size()).toArray(LinearRing[]::new));
    }

    private static LinearRing ring(JsonNode node, String path) {
        List<Coordinate> points = each(node, path, GeoJsonGeometryReader::position);
        if (points.size() < 4) {
            throw ProblemException.badRequest(
                    path,
                    "A ring needs at least 4 positions (3 corners and the first repeated at the end); " + path + " has "
                            + points.size());
        }
        Coordinate first = points.get(0);
        Coordinate last = points.get(points.size() - 1);
        if (!first.equals2D(last)) {
            throw ProblemException.badRequest(
                    path,
                    "The ring " + path + " is not closed: its last position " + text(last) + " must repeat its first "
                            + text(first));
        }
        return FACTORY.createLinearRing(points.toArray(Coordinate[]::new));
    }

    /** Reads {@code [lon, lat]} (an altitude is allowed and dropped), checking numbers and ranges. */
    private static Coordinate position(JsonNode node, String path) {
        if (!node.isArray() || node.size() < 2 || node.size() > 3) {
            throw ProblemException.badRequest(path, path + " must be a position [lon, lat]");
        }
        double lon = number(node.get(0), path + "[0]");
        double lat = number(node.get(1), path + "[1]");
        boolean lonOk = lon >= -180 && lon <= 180;
        boolean latOk = lat >= -90 && lat <= 90;
        if (lonOk && latOk) {
            return new Coordinate(lon, lat);
        }
        String pair = "[" + plain(lon) + ", " + plain(lat) + "]";
        String message = !latOk
                ? "latitude " + plain(lat) + " in " + pair + " is out of range -90..90"
                : "longitude " + plain(lon) + " in " + pair + " is out of range -180..180";
        boolean swappedFits = lat >= -180 && lat <= 180 && lon >= -90 && lon <= 90;
        if (!latOk && swappedFits) {
            message += "; it looks like [lat, lon]; GeoJSON is [lon, lat]";
        }
        throw ProblemException.badRequest(path, path + ": " + message);
    }

    private static double number(JsonNode node, String path) {
        if (node == null || !node.isNumber()) {
            throw ProblemException.badRequest(
                    path, path + " must be a number, not " + (node == null ? "nothing" : JsonValues.text(node)));
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw ProblemException.badRequest(path, path + " must be a finite number");
        }
        return value;
    }

    private static void checkValid(Geometry geometry, String path) {
        if (geometry.getDimension() != 2) {
            return;
        }
        TopologyValidationError error = new IsValidOp(geometry).getValidationError();
        if (error != null) {
            Coordinate at = error.getCoordinate();
            throw ProblemException.badRequest(
                    path,
                    "The " + geometry.getGeometryType() + " is not valid: " + error.getMessage()
                            + (at == null ? "" : " at " + text(at))
                            + "; rings must not cross or touch themselves, and holes must lie inside their shell");
        }
    }

    private static String text(Coordinate c) {
        return "[" + plain(c.x) + ", " + plain(c.y) + "]";
    }

    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
