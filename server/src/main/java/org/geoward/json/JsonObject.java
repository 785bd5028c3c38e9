package org.geoward.json;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the OpenAPI document shows for a request body that a controller takes as text and reads with {@link Json#body}
 * (so that a malformed body gets Geoward's own error text): a JSON object, whose members each operation describes.
 * Used only as {@code @Schema(implementation = JsonObject.class)}; never instantiated.
 */
@Schema(type = "object", description = "a JSON object; the operation's description names its members")
public final class JsonObject {
    private JsonObject() {}
}
