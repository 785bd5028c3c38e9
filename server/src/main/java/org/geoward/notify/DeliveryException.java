package org.geoward.notify;

/** A delivery attempt that did not succeed; the message says why, for {@code notification_attempt.error}. */
public class DeliveryException extends Exception {
    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
