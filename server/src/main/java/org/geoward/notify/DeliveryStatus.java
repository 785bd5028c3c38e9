package org.geoward.notify;

/** Where a notification stands. A row is SENT exactly when one attempt succeeded. */
public enum DeliveryStatus {
    /** Waiting for its next attempt ({@code next_attempt_at}). */
    PENDING,
    /** Delivered. */
    SENT,
    /** Given up after the maximum number of attempts. */
    FAILED,
    /** Never sent on purpose, e.g. a LOITER warning to a phone already warned within the quiet period. */
    SUPPRESSED
}
