package org.geoward.json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Writes a JSON value back as text the way its sender wrote it: numbers with their written digits, never a Java
 * object's name. {@link #show} is for error texts (strings quoted and cut), {@link #text} for values kept as text.
 * Stateless.
 */
public final class JsonValues {
    /** How many characters of a string value an error text repeats. */
    private static final int SHOWN = 40;

    private JsonValues() {}

    /** {@code "abc"}, {@code -5}, {@code 1.50}, {@code true}, {@code null}, {@code an array} or {@code an object}. */
    public static String show(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            String s = value.textValue();
            return '"' + (s.length() > SHOWN ? s.substring(0, SHOWN) + "…" : s) + '"';
        }
        if (value.isNumber() || value.isBoolean()) {
            return text(value);
        }
        return value.isArray() ? "an array" : "an object";
    }

    /**
     * A value as text: strings as they are, numbers with their written digits ({@code 1.50}, never {@code 1.5E0}),
     * objects and arrays as JSON, null as {@code null}.
     */
    public static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber()) {
            return value.decimalValue().toPlainString();
        }
        return value.toString();
    }
}
