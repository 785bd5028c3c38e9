package org.geoward.device;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geoward.sighting.Sighting;

/**
 * Reads a JSON document into plain Java values: {@code Map<String,Object>} (in document order), {@code
 * List<Object>}, {@code String}, {@link BigDecimal} (exactly as written), {@code Boolean} and {@code null}. Uses
 * jackson-core's streaming parser only, so no binding configuration is involved.
 */
public final class JsonTree {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int MAX_DEPTH = 32;

    private JsonTree() {}

    /** Parses one JSON document; {@code protocol} names the source in error messages. */
    public static Object parse(String json, String protocol) throws DecodeException {
        if (json == null || json.isBlank()) {
            throw new DecodeException(protocol + " body is empty: expected a JSON object");
        }
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            Object value = read(parser, first, 0);
            if (parser.nextToken() != null) {
                throw new DecodeException(protocol + " body has text after the JSON value at "
                        + parser.currentLocation().offsetDescription());
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new DecodeException(protocol + " body is not valid JSON: " + e.getOriginalMessage() + " at "
                    + e.getLocation().offsetDescription());
        } catch (IOException e) {
            throw new DecodeException(protocol + " body could not be read: " + e.getMessage(), e);
        }
    }

    private static Object read(JsonParser parser, JsonToken token, int depth) throws IOException, DecodeException {
        if (depth > MAX_DEPTH) {
            throw new DecodeException("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    map.put(name, read(parser, parser.nextToken(), depth + 1));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(read(parser, next, depth + 1));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new BigDecimal(parser.getText());
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new DecodeException("unexpected JSON token " + token);
        };
    }

    /** Renders a scalar for {@link Sighting#extras()}; numbers keep their written digits. */
    public static String text(Object value) {
        if (value instanceof BigDecimal number) {
            return number.toPlainString();
        }
        return String.valueOf(value);
    }
}
