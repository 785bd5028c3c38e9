package org.geoward.sighting;

import io.micronaut.json.tree.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tree reader of {@code POST /api/sightings} items that {@link SightingBody} (Jackson's streaming parser straight
 * into {@link Sighting}s) replaced: kept here, out of the server, as {@link SightingBodySpec}'s oracle. Reads one item
 * leniently: ids and numbers may be JSON numbers or strings ({@code "29.7"}, {@code "NaN"}), so that
 * {@link SightingRules} can say what is wrong with the value; a value of the wrong shape ({@code "lat": "abc"}) throws
 * {@link IllegalArgumentException} with the reason.
 */
final class SightingJson {
    private SightingJson() {}

    static Sighting read(JsonNode item) {
        if (item == null || !item.isObject()) {
            throw new IllegalArgumentException("a sighting must be a JSON object");
        }
        return Sighting.builder()
                .subject(id(item, "subjectId"))
                .device(text(item, "deviceId"))
                .track(text(item, "trackId"))
                .time(time(item))
                .at(number(item, "lon"), number(item, "lat"))
                .accuracy(number(item, "accuracy"))
                .source(source(item))
                .speed(number(item, "speed"))
                .heading(number(item, "heading"))
                .battery(number(item, "battery"))
                .companions(companions(item))
                .sos(bool(item, "sos"))
                .phone(text(item, "phone"))
                .evidenceUrl(text(item, "evidenceUrl"))
                .build();
    }

    private static JsonNode field(JsonNode item, String name) {
        JsonNode v = item.get(name);
        return v == null || v.isNull() ? null : v;
    }

    static Long id(JsonNode item, String name) {
        JsonNode v = field(item, name);
        return v == null ? null : idValue(v, name);
    }

    private static Long idValue(JsonNode v, String where) {
        String raw = v.isNumber() ? v.getNumberValue().toString() : v.isString() ? v.getStringValue() : null;
        if (raw != null && raw.trim().matches("\\d{1,18}")) {
            return Long.parseLong(raw.trim());
        }
        throw new IllegalArgumentException(where + " must be an id such as \"42\", not " + show(v));
    }

    private static String text(JsonNode item, String name) {
        JsonNode v = field(item, name);
        if (v == null) {
            return null;
        }
        if (v.isString()) {
            String s = v.getStringValue();
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(name + " contains a NUL character (U+0000); remove it");
            }
            return s;
        }
        if (v.isNumber()) {
            return v.getNumberValue().toString();
        }
        throw new IllegalArgumentException(name + " must be a string, not " + show(v));
    }

    private static Double number(JsonNode item, String name) {
        JsonNode v = field(item, name);
        if (v == null) {
            return null;
        }
        if (v.isNumber()) {
            return v.getNumberValue().doubleValue();
        }
        if (v.isString()) {
            String s = v.getStringValue().trim();
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " '" + s + "' is not a number");
            }
        }
        throw new IllegalArgumentException(name + " must be a number, not " + show(v));
    }

    private static Instant time(JsonNode item) {
        JsonNode v = field(item, "time");
        if (v == null) {
            return null;
        }
        if (!v.isString()) {
            throw new IllegalArgumentException(
                    "time must be an ISO-8601 string such as 2026-11-22T08:00:00Z, not " + show(v));
        }
        String s = v.getStringValue().trim();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "time '" + s + "' is not an ISO-8601 time with offset, such as 2026-11-22T08:00:00Z");
        }
    }

    private static Source source(JsonNode item) {
        String s = text(item, "source");
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Source.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("source '" + s + "' is not one of GPS, CAMERA, CELL, MANUAL");
        }
    }

    private static List<Long> companions(JsonNode item) {
        JsonNode v = field(item, "companions");
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("companions must be an array of subject ids, not " + show(v));
        }
        List<Long> ids = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            ids.add(idValue(v.get(i), "companions[" + i + "]"));
        }
        return ids;
    }

    private static boolean bool(JsonNode item, String name) {
        JsonNode v = field(item, name);
        if (v == null) {
            return false;
        }
        if (v.isBoolean()) {
            return v.getBooleanValue();
        }
        throw new IllegalArgumentException(name + " must be true or false, not " + show(v));
    }

    /** How many characters of a string value an error text repeats. */
    private static final int SHOWN = 40;

    /** A value as an error text shows it (the server's rule when this reader was written). */
    static String show(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isString()) {
            String s = value.getStringValue();
            return '"' + (s.length() > SHOWN ? s.substring(0, SHOWN) + "…" : s) + '"';
        }
        if (value.isNumber()) {
            return value.getNumberValue().toString();
        }
        if (value.isBoolean()) {
            return Boolean.toString(value.getBooleanValue());
        }
        return value.isArray() ? "an array" : "an object";
    }
}
