package org.geoward.fence;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.geoward.evaluate.Fence;
import org.geoward.evaluate.FenceKind;
import org.geoward.evaluate.SubjectCategory;
import org.geoward.json.JsonFields;
import org.geoward.json.JsonValues;
import org.geoward.problem.ProblemException;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Lineal;
import org.locationtech.jts.geom.Point;

/**
 * Reads a fence from a GeoJSON Feature and refuses what is wrong with the path at fault. Defaults: {@code
 * hysteresisMeters} 20, {@code maxGapMinutes} 15, {@code dwellMinutes} 30 for a BAN fence that names none (the
 * reference deployment's rule), {@code active.zone} Asia/Shanghai. The existence of {@code subjects} is checked by
 * the caller, which has the database. Stateless.
 */
final class FeatureReader {
    static final int DEFAULT_BAN_DWELL_MINUTES = 30;
    static final double MAX_REACH_METERS = 100_000;
    static final double MAX_HYSTERESIS_METERS = 1_000;
    static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    /** Properties Geoward reads itself or writes on output; every other property is kept as given. */
    private static final Set<String> OWN = Set.of(
            "id",
            "name",
            "kind",
            "dwellMinutes",
            "hysteresisMeters",
            "maxGapMinutes",
            "subjects",
            "radiusMeters",
            "bufferMeters",
            "active",
            "categories",
            "createdAt",
            "updatedAt",
            "retiredAt");

    private FeatureReader() {}

    /** Reads and checks a Feature; throws a 400 naming the member at fault. */
    static FenceDraft read(JsonNode feature) {
        checkFeature(feature);
        Geometry geometry = GeoJsonGeometryReader.read(feature.get("geometry"));
        JsonNode props = feature.get("properties");
        if (props == null || !props.isObject()) {
            throw ProblemException.badRequest(
                    "properties",
                    "The Feature needs properties with at least name and kind (SAFE, DANGER, BAN or GRID)");
        }
        String name = JsonFields.requiredName(props, "name", "properties.name");
        FenceKind kind = JsonFields.requiredEnum(props, "kind", "properties.kind", FenceKind.class);
        Double radius = reach(props, "radiusMeters", geometry instanceof Point, "a Point (circle)");
        Double buffer = reach(props, "bufferMeters", geometry instanceof Lineal, "a LineString (corridor)");
        double hysteresis = hysteresis(props);
        Integer dwell = JsonFields.optionalPositiveInt(props, "dwellMinutes", "properties.dwellMinutes");
        if (dwell == null && kind == FenceKind.BAN) {
            dwell = DEFAULT_BAN_DWELL_MINUTES;
        }
        Integer gap = JsonFields.optionalPositiveInt(props, "maxGapMinutes", "properties.maxGapMinutes");
        Set<Long> subjects = JsonFields.optionalIds(props, "subjects", "properties.subjects");
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : props.properties()) {
            if (!OWN.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        Window window = window(props.get("active"));
        return new FenceDraft(
                name,
                kind,
                geometry,
                radius,
                buffer,
                hysteresis,
                dwell,
                gap == null ? Fence.DEFAULT_MAX_GAP_MINUTES : gap,
                subjects == null ? Set.of() : subjects,
                window.from,
                window.until,
                window.dailyFrom,
                window.dailyUntil,
                window.zone,
                window.months,
                categories(props.get("categories")),
                extra);
    }

    private static Set<SubjectCategory> categories(JsonNode value) {
        String field = "properties.categories";
        if (value == null || value.isNull()) {
            return Set.of();
        }
        if (!value.isArray()) {
            throw ProblemException.badRequest(
                    field, "categories must be an array of key populations such as [\"MINOR\"], or left out");
        }
        Set<SubjectCategory> categories = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            SubjectCategory category = null;
            if (item.isTextual()) {
                try {
                    category = SubjectCategory.valueOf(item.textValue());
                } catch (IllegalArgumentException e) {
                    // named below
                }
            }
            if (category == null) {
                throw ProblemException.badRequest(
                        field + "[" + i + "]",
                        JsonValues.show(item) + " is not a key population; use one of "
                                + Arrays.toString(SubjectCategory.values()));
            }
            categories.add(category);
        }
        return categories;
    }

    private static Set<Integer> months(JsonNode value) {
        String field = "properties.active.months";
        if (value == null || value.isNull()) {
            return Set.of();
        }
        if (!value.isArray()) {
            throw ProblemException.badRequest(
                    field, "active.months must be an array of month numbers 1-12, e.g. [6, 7, 8, 9] for summer");
        }
        Set<Integer> months = new TreeSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isNumber()
                    || item.doubleValue() != Math.rint(item.doubleValue())
                    || item.doubleValue() < 1
                    || item.doubleValue() > 12) {
                throw ProblemException.badRequest(
                        field + "[" + i + "]",
                        "a month is a whole number from 1 (January) to 12 (December), not " + JsonValues.show(item));
            }
            months.add(item.intValue());
        }
        return months;
    }

    private static void checkFeature(JsonNode feature) {
        if (feature == null || !feature.isObject()) {
            throw ProblemException.badRequest(null, "The body must be a GeoJSON Feature object");
        }
        JsonNode type = feature.get("type");
        String given = type != null && type.isTextual() ? type.textValue() : null;
        if ("Feature".equals(given)) {
            return;
        }
        String hint = "FeatureCollection".equals(given)
                ? "; send one Feature per request"
                : given != null && !given.isEmpty() && feature.get("coordinates") != null
                        ? "; wrap the geometry in {\"type\": \"Feature\", \"geometry\": ..., \"properties\": {...}}"
                        : "";
        throw ProblemException.badRequest(
                "type", "The body must be a GeoJSON Feature (\"type\": \"Feature\"), not " + given + hint);
    }

    private static Double reach(JsonNode props, String member, boolean needed, String shape) {
        String field = "properties." + member;
        JsonNode value = props.get(member);
        boolean given = value != null && !value.isNull();
        if (!needed) {
            if (given) {
                throw ProblemException.badRequest(field, member + " applies only to " + shape + "; leave it out");
            }
            return null;
        }
        if (!given) {
            throw ProblemException.badRequest(field, shape + " needs " + member + " > 0 (metres)");
        }
        if (!value.isNumber() || !(value.doubleValue() > 0) || value.doubleValue() > MAX_REACH_METERS) {
            throw ProblemException.badRequest(
                    field,
                    member + " must be a number of metres above 0 and at most 100000, not " + JsonValues.show(value));
        }
        return value.doubleValue();
    }

    private static double hysteresis(JsonNode props) {
        JsonNode value = props.get("hysteresisMeters");
        if (value == null || value.isNull()) {
            return Fence.DEFAULT_HYSTERESIS_METERS;
        }
        if (!value.isNumber() || !(value.doubleValue() >= 0) || value.doubleValue() > MAX_HYSTERESIS_METERS) {
            throw ProblemException.badRequest(
                    "properties.hysteresisMeters",
                    "hysteresisMeters must be a number of metres from 0 to 1000, not " + JsonValues.show(value));
        }
        return value.doubleValue();
    }

    private record Window(
            LocalDate from,
            LocalDate until,
            LocalTime dailyFrom,
            LocalTime dailyUntil,
            ZoneId zone,
            Set<Integer> months) {}

    private static Window window(JsonNode active) {
        if (active == null || active.isNull()) {
            return new Window(null, null, null, null, DEFAULT_ZONE, Set.of());
        }
        if (!active.isObject()) {
            throw ProblemException.badRequest(
                    "properties.active", "active must be an object {from, until, daily, zone} or null");
        }
        LocalDate from = date(active, "from");
        LocalDate until = date(active, "until");
        if (from != null && until != null && until.isBefore(from)) {
            throw ProblemException.badRequest(
                    "properties.active.until", "active.until " + until + " is before active.from " + from);
        }
        LocalTime[] daily = daily(active.get("daily"));
        String zoneText = JsonFields.optionalText(active, "zone", "properties.active.zone");
        ZoneId zone = DEFAULT_ZONE;
        if (zoneText != null && !zoneText.isEmpty()) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                throw ProblemException.badRequest(
                        "properties.active.zone",
                        "active.zone '" + zoneText + "' is not a time zone; use an IANA name such as Asia/Shanghai");
            }
        }
        return new Window(from, until, daily[0], daily[1], zone, months(active.get("months")));
    }

    private static LocalDate date(JsonNode active, String member) {
        String field = "properties.active." + member;
        String text = JsonFields.optionalText(active, member, field);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw ProblemException.badRequest(
                    field, "active." + member + " '" + text + "' is not a date; write it as YYYY-MM-DD");
        }
    }

    /** Reads {@code "22:00-06:00"} or {@code {"from": "22:00", "until": "06:00"}} into [from, until]. */
    private static LocalTime[] daily(JsonNode daily) {
        String field = "properties.active.daily";
        if (daily == null || daily.isNull()) {
            return new LocalTime[2];
        }
        LocalTime from;
        LocalTime until;
        if (daily.isTextual()) {
            List<String> parts = List.of(daily.textValue().split("-", -1));
            if (parts.size() != 2) {
                throw ProblemException.badRequest(
                        field, "active.daily '" + daily.textValue() + "' must look like \"22:00-06:00\"");
            }
            from = time(parts.get(0).trim(), field);
            until = time(parts.get(1).trim(), field);
        } else if (daily.isObject()) {
            from = time(JsonFields.requiredText(daily, "from", field + ".from"), field + ".from");
            until = time(JsonFields.requiredText(daily, "until", field + ".until"), field + ".until");
        } else {
            throw ProblemException.badRequest(
                    field, "active.daily must be \"HH:MM-HH:MM\" or {\"from\": \"HH:MM\", \"until\": \"HH:MM\"}");
        }
        if (from.equals(until)) {
            throw ProblemException.badRequest(
                    field, "active.daily starts and ends at " + from + ": the window would be empty");
        }
        return new LocalTime[] {from, until};
    }

    private static LocalTime time(String text, String field) {
        try {
            if (!text.matches("\\d{2}:\\d{2}(:\\d{2})?")) {
                throw new DateTimeException(text);
            }
            return LocalTime.parse(text);
        } catch (DateTimeException e) {
            throw ProblemException.badRequest(field, "'" + text + "' is not a time of day; write it as HH:MM (24 h)");
        }
    }
}
