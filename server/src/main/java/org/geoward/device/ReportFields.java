package org.geoward.device;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.geoward.json.JsonValues;

/** Reads numbers and times out of text and JSON report fields, with errors that name the field and the report. */
public final class ReportFields {

    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private ReportFields() {}

    /** Parses a decimal number; {@code null} in, {@code null} out. */
    public static Double parseNumber(String value, String field, String where) throws DecodeException {
        if (value == null) {
            return null;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new DecodeException("field '" + field + "' is not a number: '" + value + "' in " + where);
        }
    }

    /** Reads a JSON number (or a numeric string); {@code null} in, {@code null} out. */
    public static Double number(JsonNode value, String field, String where) throws DecodeException {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            return parseNumber(value.textValue(), field, where);
        }
        throw new DecodeException(
                "field '" + field + "' should be a number but is " + JsonValues.text(value) + " in " + where);
    }

    /** Returns the value if it is finite and not negative, else {@code null} (devices send -1 for "unknown"). */
    public static Double nonNegative(Double value) {
        return value == null || !Double.isFinite(value) || value < 0 ? null : value;
    }

    /** Returns the value if it is finite, else {@code null}. */
    public static Double finite(Double value) {
        return value == null || !Double.isFinite(value) ? null : value;
    }

    /**
     * Reads a report time: an integer is epoch seconds below 2^31 and epoch milliseconds above (as Traccar does);
     * text with a 'T' is ISO-8601 (UTC when it has no offset); otherwise {@code yyyy-MM-dd HH:mm:ss} in UTC.
     */
    public static Instant parseTime(String value, String field, String where) throws DecodeException {
        String text = value.trim();
        try {
            long number = Long.parseLong(text);
            return number < Integer.MAX_VALUE ? Instant.ofEpochSecond(number) : Instant.ofEpochMilli(number);
        } catch (NumberFormatException notAnInteger) {
            // fall through to the date formats
        } catch (DateTimeException beyondInstant) {
            throw notATime(value, field, where);
        }
        try {
            if (text.contains("T")) {
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException noOffset) {
                    return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                }
            }
            return LocalDateTime.parse(text, SPACED).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw notATime(value, field, where);
        }
    }

    private static DecodeException notATime(String value, String field, String where) {
        return new DecodeException("field '" + field + "' is not a time: '" + value + "' in " + where
                + "; expected epoch seconds, epoch milliseconds, ISO-8601 or 'yyyy-MM-dd HH:mm:ss'");
    }
}
