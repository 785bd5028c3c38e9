package org.geoward.device;

import org.geoward.json.Json;

/**
 * Thrown when a device's message cannot be turned into a position. The message says what was wrong and where
 * (protocol, field, offending value) so that an operator can act on it.
 */
public class DecodeException extends Exception {

    public DecodeException(String message) {
        super(message);
    }

    public DecodeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A JSON body that {@link Json#parse} refused: {@code "OsmAnd body is not valid JSON: ... at 17"}. */
    public static DecodeException body(String protocol, Json.MalformedJson e) {
        return new DecodeException(protocol + " body " + e.getMessage(), e);
    }
}
