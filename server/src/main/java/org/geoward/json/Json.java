package org.geoward.json;

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
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.geoward.problem.ProblemException;

/**
 * Parses JSON text into Jackson's tree, the one tree Geoward reads: numbers keep the digits their sender wrote
 * (decimals as {@link java.math.BigDecimal}, trailing zeros kept), nesting deeper than {@value #MAX_DEPTH} levels and
 * text after the value are refused. Request bodies go through {@link #body}, device payloads through {@link #parse}.
 * Stateless and thread-safe.
 */
public final class Json {
    /** The deepest nesting accepted: a GeoJSON MultiPolygon inside a FeatureCollection needs 8. */
    public static final int MAX_DEPTH = 32;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private Json() {}

    /**
     * Parses one JSON document; the exception's message says what is wrong and where, to follow "body" or the
     * protocol's name ({@code "is not valid JSON: Unexpected character ... at 17"}).
     */
    public static JsonNode parse(String json) throws MalformedJson {
        if (json == null || json.isBlank()) {
            throw new MalformedJson("is empty: expected a JSON object");
        }
        try (JsonParser parser = MAPPER.createParser(json)) {
            JsonNode value = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                throw new MalformedJson("has text after the JSON value at "
                        + parser.currentLocation().offsetDescription());
            }
            return value;
        } catch (StreamConstraintsException e) {
            throw new MalformedJson("is JSON nested deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            throw new MalformedJson("is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at " + e.getLocation().offsetDescription()));
        } catch (IOException e) {
            throw new MalformedJson("could not be read: " + e.getMessage());
        }
    }

    /**
     * Parses a request body; a 400 {@link ProblemException} when it is empty or not JSON, saying where. Any JSON value
     * is returned: the reader checks that it is the object it expects and says so in its own words.
     */
    public static JsonNode body(String json) {
        try {
            return parse(json);
        } catch (MalformedJson e) {
            throw ProblemException.badRequest(null, "the request body " + e.getMessage());
        }
    }

    /** An object node with the members in their order, to build a document (a response, a stored value). */
    public static ObjectNode object(Map<String, ? extends JsonNode> members) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.setAll(members);
        return node;
    }

    /** An array node with the items in their order. */
    public static ArrayNode array(List<? extends JsonNode> items) {
        ArrayNode node = JsonNodeFactory.instance.arrayNode(items.size());
        node.addAll(items);
        return node;
    }

    /** A string node. */
    public static JsonNode text(String value) {
        return TextNode.valueOf(value);
    }

    /** A whole-number node. */
    public static JsonNode number(long value) {
        return LongNode.valueOf(value);
    }

    /** A decimal number node. */
    public static JsonNode number(double value) {
        return DoubleNode.valueOf(value);
    }

    /** JSON null. */
    public static JsonNode nullNode() {
        return NullNode.getInstance();
    }

    /** The node's JSON text, numbers with the digits they were read with. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** What is wrong with a JSON text; the message follows a subject such as "body". */
    public static final class MalformedJson extends Exception {
        MalformedJson(String message) {
            super(message);
        }
    }
}
