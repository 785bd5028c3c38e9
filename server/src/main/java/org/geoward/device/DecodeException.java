package org.geoward.device;

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
}
