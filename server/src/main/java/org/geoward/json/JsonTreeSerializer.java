package org.geoward.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.Encoder;
import io.micronaut.serde.Serializer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Map;

/**
 * Lets Micronaut Serialization write a Jackson tree as a response body (a controller returns a {@link JsonNode}),
 * numbers with the digits they were read or built with. Stateless.
 */
@Singleton
final class JsonTreeSerializer implements Serializer<JsonNode> {
    private static final Argument<JsonNode> NODE = Argument.of(JsonNode.class);

    @Override
    public void serialize(Encoder encoder, EncoderContext context, Argument<? extends JsonNode> type, JsonNode value)
            throws IOException {
        write(encoder, value);
    }

    private static void write(Encoder encoder, JsonNode value) throws IOException {
        if (value == null || value.isNull() || value.isMissingNode()) {
            encoder.encodeNull();
        } else if (value.isObject()) {
            try (Encoder object = encoder.encodeObject(NODE)) {
                for (Map.Entry<String, JsonNode> member : value.properties()) {
                    object.encodeKey(member.getKey());
                    write(object, member.getValue());
                }
            }
        } else if (value.isArray()) {
            try (Encoder array = encoder.encodeArray(NODE)) {
                for (JsonNode item : value) {
                    write(array, item);
                }
            }
        } else if (value.isTextual()) {
            encoder.encodeString(value.textValue());
        } else if (value.isBoolean()) {
            encoder.encodeBoolean(value.booleanValue());
        } else if (value.isIntegralNumber()) {
            if (value.canConvertToLong()) {
                encoder.encodeLong(value.longValue());
            } else {
                encoder.encodeBigInteger(value.bigIntegerValue());
            }
        } else if (value.isBigDecimal()) {
            encoder.encodeBigDecimal(value.decimalValue());
        } else if (value.isNumber()) {
            encoder.encodeDouble(value.doubleValue());
        } else {
            encoder.encodeString(value.asText());
        }
    }
}
