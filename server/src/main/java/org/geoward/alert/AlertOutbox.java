package org.geoward.alert;

/**
 * Writes the messages one alert step causes (who is told, with which text, on which channel) into the outbox, inside
 * the step's transaction, so the step and its messages commit or roll back together. {@link AlertEvents} calls it
 * for every step right after the step's {@code alert_event} row is inserted; the notification router
 * ({@code org.geoward.notify.NotificationRouter}) is the implementation.
 */
public interface AlertOutbox {

    /** Queues the messages of the {@code alert_event} row {@code eventId}, just inserted by the caller's transaction. */
    void enqueue(long eventId);
}
