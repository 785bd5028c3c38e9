package org.geoward.device;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import org.geoward.sighting.Sighting;

/**
 * The device doors' JSON bodies read into Jackson's tree, with errors that name the protocol and the place:
 * numbers keep the digits the device wrote ({@link #text}), nesting deeper than {@value #MAX_DEPTH} levels and text
 * after the value are refused. Stateless.
 */
public final class DeviceJson {
    private static final int MAX_DEPTH = 32;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private DeviceJson() {}

    /** Parses one JSON document; {@code protocol} names the source in error messages. */
    public static JsonNode parse(String json, String protocol) throws DecodeException {
        if (json == null || json.isBlank()) {
            throw new DecodeException(protocol + " body is empty: expected a JSON object");
        }
        try (JsonParser parser = MAPPER.createParser(json)) {
            JsonNode value = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                throw new DecodeException(protocol + " body has text after the JSON value at "
                        + parser.currentLocation().offsetDescription());
            }
            return value;
        } catch (StreamConstraintsException e) {
            throw new DecodeException(protocol + " body is JSON nested deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            throw new DecodeException(protocol + " body is not valid JSON: " + e.getOriginalMessage() + " at "
                    + e.getLocation().offsetDescription());
        } catch (IOException e) {
            throw new DecodeException(protocol + " body could not be read: " + e.getMessage(), e);
        }
    }

    /** The member {@code name} of an object, or null when it is absent, JSON null, or {@code node} no object. */
    public static JsonNode member(JsonNode node, String name) {
        JsonNode value = node == null ? null : node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /**
     * Renders a value for {@link Sighting#extras()} and error texts: strings as they are, numbers with their written
     * digits, objects and arrays as JSON, null as {@code null}.
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
