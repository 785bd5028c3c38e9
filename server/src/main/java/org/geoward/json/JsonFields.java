package org.geoward.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.geoward.problem.ProblemException;

/**
 * Reads typed values out of a JSON request tree and refuses bad ones with a {@link ProblemException} that names the
 * field. Ids are accepted as JSON strings ({@code "12"}, as Geoward writes them) or as integers. Stateless.
 */
public final class JsonFields {
    /** The longest name of a subject or fence, in characters: longer is a mistake, not a name. */
    public static final int MAX_NAME = 200;

    private JsonFields() {}

    /** A required non-blank name of at most {@link #MAX_NAME} characters, trimmed. */
    public static String requiredName(JsonNode node, String name, String field) {
        String text = requiredText(node, name, field);
        if (text.length() > MAX_NAME) {
            throw ProblemException.badRequest(
                    field, field + " has " + text.length() + " characters; at most " + MAX_NAME + " are allowed");
        }
        return text;
    }

    /** The member {@code name} of an object, or null when it is absent, JSON null, or {@code node} no object. */
    public static JsonNode member(JsonNode node, String name) {
        JsonNode value = node == null ? null : node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /** Whether {@code node} has the member {@code name} with a non-null value. */
    public static boolean isPresent(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    /** A required non-blank string, trimmed. */
    public static String requiredText(JsonNode node, String name, String field) {
        String text = optionalText(node, name, field);
        if (text == null || text.isEmpty()) {
            throw ProblemException.badRequest(field, field + " is required and must not be blank");
        }
        return text;
    }

    /** An optional string, trimmed; null when absent or null. */
    public static String optionalText(JsonNode node, String name, String field) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ProblemException.badRequest(field, field + " must be a string, not " + JsonValues.show(value));
        }
        String text = value.textValue();
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw ProblemException.badRequest(
                    field, field + " contains a NUL character (U+0000) at position " + nul + "; remove it");
        }
        return text.trim();
    }

    /** An optional enum constant, matched case-insensitively; null when absent. */
    public static <E extends Enum<E>> E optionalEnum(JsonNode node, String name, String field, Class<E> type) {
        String text = optionalText(node, name, field);
        if (text == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(
                    field, field + " '" + text + "' is not one of " + List.of(type.getEnumConstants()));
        }
    }

    /** A required enum constant. */
    public static <E extends Enum<E>> E requiredEnum(JsonNode node, String name, String field, Class<E> type) {
        E value = optionalEnum(node, name, field, type);
        if (value == null) {
            throw ProblemException.badRequest(
                    field, field + " is required: one of " + List.of(type.getEnumConstants()));
        }
        return value;
    }

    /** An optional integer that must be positive; null when absent. */
    public static Integer optionalPositiveInt(JsonNode node, String name, String field) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()
                || value.doubleValue() != Math.rint(value.doubleValue())
                || value.doubleValue() < 1
                || value.doubleValue() > Integer.MAX_VALUE) {
            throw ProblemException.badRequest(
                    field, field + " must be a positive whole number, not " + JsonValues.show(value));
        }
        return value.intValue();
    }

    /** A subject or device id written as a JSON string of digits or as a JSON integer. */
    public static long id(JsonNode value, String field) {
        if (value != null && value.isNumber()) {
            double d = value.doubleValue();
            if (d == Math.rint(d) && d > 0 && d < 9.0e15) {
                return value.longValue();
            }
        } else if (value != null && value.isTextual()) {
            try {
                long id = Long.parseLong(value.textValue().trim());
                if (id > 0) {
                    return id;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw ProblemException.badRequest(
                field,
                field + " must be an id such as \"12\", not " + (value == null ? "nothing" : JsonValues.show(value)));
    }

    /** An optional array of ids, without repeats, in the order given; null when absent. */
    public static Set<Long> optionalIds(JsonNode node, String name, String field) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw ProblemException.badRequest(field, field + " must be an array of ids");
        }
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            ids.add(id(value.get(i), field + "[" + i + "]"));
        }
        return new LinkedHashSet<>(ids);
    }
}
