package org.geoward.sighting;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.micronaut.http.HttpStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.geoward.problem.ProblemException;

/**
 * Reads the body of {@code POST /api/sightings} (one sighting object or an array of them) straight into {@link
 * Sighting}s with Jackson's streaming parser: no tree of the body is built. Leniently, as the API has always read it:
 * ids and numbers may be JSON numbers or strings ({@code "29.7"}, {@code "NaN"}), so that {@link SightingRules} can
 * say what is wrong with the value rather than the parser refusing the whole batch; a value of the wrong shape
 * ({@code "lat": "abc"}, {@code "lat": {...}}) refuses that item alone, with the reason, under its index. A field named
 * twice counts with its last value; unknown fields are skipped; an explicit {@code null} is a missing value. When an
 * item has several bad fields, the reason names the first in the order subjectId, deviceId, trackId, time, lon, lat,
 * accuracy, source, speed, heading, battery, companions, sos, phone, evidenceUrl.
 *
 * <p>A body that is not JSON, is empty, is JSON {@code null} or a bare value, or holds more than {@link
 * SightingService#MAX_BATCH} items is refused whole ({@link ProblemException}: 400, or 413 with the count). Stateless
 * and thread-safe.
 */
final class SightingBody {
    /** Jackson's defaults: strict JSON, nesting at most 500 deep (StreamReadConstraints). Thread-safe. */
    private static final JsonFactory JSON = new JsonFactory();

    /** How many characters of a string value an error text repeats. */
    private static final int SHOWN = 40;

    /** The fields, in the order in which their errors are reported. */
    private enum Field {
        SUBJECT_ID("subjectId"),
        DEVICE_ID("deviceId"),
        TRACK_ID("trackId"),
        TIME("time"),
        LON("lon"),
        LAT("lat"),
        ACCURACY("accuracy"),
        SOURCE("source"),
        SPEED("speed"),
        HEADING("heading"),
        BATTERY("battery"),
        COMPANIONS("companions"),
        SOS("sos"),
        PHONE("phone"),
        EVIDENCE_URL("evidenceUrl");

        private static final Map<String, Field> BY_NAME = new HashMap<>();

        static {
            for (Field f : values()) {
                BY_NAME.put(f.json, f);
            }
        }

        final String json;

        Field(String json) {
            this.json = json;
        }
    }

    private static final int FIELDS = Field.values().length;

    /**
     * The items of a body, by index: {@code sightings} has one entry per item (null for a refused one), {@code
     * refused} the reason of each refused item.
     */
    record Items(List<Sighting> sightings, Map<Integer, String> refused) {}

    private SightingBody() {}

    /** Reads {@code body}; throws a 400 or 413 {@link ProblemException} for a body refused whole. */
    static Items read(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest(null, "the request body is empty: send a sighting or an array");
        }
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken root = p.nextToken();
            List<Sighting> sightings = new ArrayList<>();
            Map<Integer, String> refused = new HashMap<>();
            if (root == null) {
                throw new IOException("No JSON input to parse");
            } else if (root == JsonToken.VALUE_NULL) {
                throw ProblemException.badRequest(null, "the request body is JSON null: send a sighting or an array");
            } else if (root == JsonToken.START_ARRAY) {
                int count = 0;
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t == null) {
                        throw new IOException("Unexpected end-of-input: expected close marker for Array");
                    }
                    if (count < SightingService.MAX_BATCH) {
                        item(p, count, sightings, refused);
                    } else {
                        p.skipChildren();
                    }
                    count++;
                }
                if (count > SightingService.MAX_BATCH) {
                    throw new ProblemException(
                            HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                            "a batch holds at most " + SightingService.MAX_BATCH + " sightings; this one has " + count
                                    + ": split it");
                }
            } else if (root == JsonToken.START_OBJECT) {
                item(p, 0, sightings, refused);
            } else {
                p.getText(); // a bare value: still refused as not JSON when it is malformed (an unterminated string)
                throw ProblemException.badRequest(null, "send one sighting object or an array of them");
            }
            return new Items(sightings, refused);
        } catch (IOException e) {
            String reason = e.getMessage() == null
                    ? ""
                    : e.getMessage().lines().findFirst().orElse("");
            throw ProblemException.badRequest(
                    null,
                    "the request body is not valid JSON: " + reason + " (body starts with '"
                            + new String(body, 0, Math.min(body.length, 40), StandardCharsets.UTF_8) + "')");
        }
    }

    /** Reads the item at the parser's current token (its first) into {@code sightings} or {@code refused}. */
    private static void item(JsonParser p, int index, List<Sighting> sightings, Map<Integer, String> refused)
            throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            sightings.add(null);
            refused.put(index, "a sighting must be a JSON object");
            return;
        }
        Object[] values = new Object[FIELDS];
        String[] errors = new String[FIELDS];
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            Field f = Field.BY_NAME.get(name);
            JsonToken t = p.nextToken();
            if (f == null) {
                p.skipChildren();
                continue;
            }
            values[f.ordinal()] = null;
            errors[f.ordinal()] = null;
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            try {
                values[f.ordinal()] = value(p, f);
            } catch (IllegalArgumentException e) {
                errors[f.ordinal()] = e.getMessage();
            }
        }
        for (String error : errors) {
            if (error != null) {
                sightings.add(null);
                refused.put(index, error);
                return;
            }
        }
        sightings.add(Sighting.builder()
                .subject((Long) values[Field.SUBJECT_ID.ordinal()])
                .device((String) values[Field.DEVICE_ID.ordinal()])
                .track((String) values[Field.TRACK_ID.ordinal()])
                .time((Instant) values[Field.TIME.ordinal()])
                .at((Double) values[Field.LON.ordinal()], (Double) values[Field.LAT.ordinal()])
                .accuracy((Double) values[Field.ACCURACY.ordinal()])
                .source((Source) values[Field.SOURCE.ordinal()])
                .speed((Double) values[Field.SPEED.ordinal()])
                .heading((Double) values[Field.HEADING.ordinal()])
                .battery((Double) values[Field.BATTERY.ordinal()])
                .companions(
                        values[Field.COMPANIONS.ordinal()] == null
                                ? List.of()
                                : castIds(values[Field.COMPANIONS.ordinal()]))
                .sos(values[Field.SOS.ordinal()] == Boolean.TRUE)
                .phone((String) values[Field.PHONE.ordinal()])
                .evidenceUrl((String) values[Field.EVIDENCE_URL.ordinal()])
                .build());
    }

    @SuppressWarnings("unchecked")
    private static List<Long> castIds(Object ids) {
        return (List<Long>) ids;
    }

    /**
     * The value of field {@code f} at the parser's current token (not null), read to its end; throws {@link
     * IllegalArgumentException} with the reason for a value of the wrong shape.
     */
    private static Object value(JsonParser p, Field f) throws IOException {
        return switch (f) {
            case SUBJECT_ID -> id(p, f.json);
            case DEVICE_ID, TRACK_ID, PHONE, EVIDENCE_URL -> text(p, f.json);
            case TIME -> time(p);
            case LON, LAT, ACCURACY, SPEED, HEADING, BATTERY -> number(p, f.json);
            case SOURCE -> source(p);
            case COMPANIONS -> companions(p);
            case SOS -> bool(p, f.json);
        };
    }

    private static Long id(JsonParser p, String where) throws IOException {
        JsonToken t = p.currentToken();
        String raw = t.isNumeric() ? p.getNumberValue().toString() : t == JsonToken.VALUE_STRING ? p.getText() : null;
        if (raw != null && isId(raw.trim())) {
            return Long.parseLong(raw.trim());
        }
        throw new IllegalArgumentException(where + " must be an id such as \"42\", not " + show(p));
    }

    /** 1 to 18 ASCII digits. */
    private static boolean isId(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(name + " contains a NUL character (U+0000); remove it");
            }
            return s;
        }
        if (t.isNumeric()) {
            return p.getNumberValue().toString();
        }
        throw new IllegalArgumentException(name + " must be a string, not " + show(p));
    }

    private static Double number(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t.isNumeric()) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText().trim();
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " '" + s + "' is not a number");
            }
        }
        throw new IllegalArgumentException(name + " must be a number, not " + show(p));
    }

    private static Instant time(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(
                    "time must be an ISO-8601 string such as 2026-11-22T08:00:00Z, not " + show(p));
        }
        String s = p.getText().trim();
        try {
            Instant common = commonTime(s);
            return common != null ? common : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "time '" + s + "' is not an ISO-8601 time with offset, such as 2026-11-22T08:00:00Z");
        }
    }

    /**
     * The instant of a time in the shape nearly every sender uses, {@code yyyy-MM-ddTHH:mm:ss[.f]Z} or with an offset
     * {@code ±HH:MM} (1 to 9 fraction digits), read without {@link OffsetDateTime#parse}'s formatter (several times
     * faster per fix); null for any other text, also a valid one, which {@link OffsetDateTime#parse} then reads or
     * refuses. Where it gives an instant it is the one {@link OffsetDateTime#parse} gives ({@code SightingBodySpec}).
     */
    static Instant commonTime(String s) {
        int n = s.length();
        if (n < 20
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            return null;
        }
        if (second < 0 || second > 59 || day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int first = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            int width = i - first;
            if (width == 0 || width > 9) {
                return null;
            }
            for (int k = width; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int offsetHours = digits(s, i + 1, 2);
            int offsetMinutes = digits(s, i + 4, 2);
            if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
                return null;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return null;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds, nanos);
    }

    /** The number written by the {@code width} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String s, int from, int width) {
        int value = 0;
        for (int i = from; i < from + width; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static Source source(JsonParser p) throws IOException {
        String s = text(p, "source");
        if (s.isBlank()) {
            return null;
        }
        try {
            return Source.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("source '" + s + "' is not one of GPS, CAMERA, CELL, MANUAL");
        }
    }

    private static List<Long> companions(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("companions must be an array of subject ids, not " + show(p));
        }
        List<Long> ids = new ArrayList<>();
        String error = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (error == null) {
                try {
                    ids.add(id(p, "companions[" + ids.size() + "]"));
                } catch (IllegalArgumentException e) {
                    error = e.getMessage();
                }
            }
            p.skipChildren();
        }
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        return ids;
    }

    private static boolean bool(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        throw new IllegalArgumentException(name + " must be true or false, not " + show(p));
    }

    /**
     * The value at the parser's current token as its sender wrote it, for error texts ({@code "abc"}, {@code -5},
     * {@code true}, {@code an array}, {@code an object}); an array or object is skipped to its end.
     */
    private static String show(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            return '"' + (s.length() > SHOWN ? s.substring(0, SHOWN) + "…" : s) + '"';
        }
        if (t.isNumeric()) {
            return p.getNumberValue().toString();
        }
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE || t == JsonToken.VALUE_NULL) {
            return t.asString();
        }
        p.skipChildren();
        return t == JsonToken.START_ARRAY ? "an array" : "an object";
    }
}
