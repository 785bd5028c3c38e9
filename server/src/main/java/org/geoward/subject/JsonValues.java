package org.geoward.subject;

import io.micronaut.json.tree.JsonNode;

/** Writes a JSON value the way its sender wrote it, for error texts: never a Java object's name. Stateless. */
public final class JsonValues {
    /** How many characters of a string value an error text repeats. */
    private static final int SHOWN = 40;

    private JsonValues() {}

    /** {@code "abc"}, {@code -5}, {@code true}, {@code null}, {@code an array} or {@code an object}. */
    public static String show(JsonNode value) {
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
