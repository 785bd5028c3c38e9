package org.geoward.alert;

/**
 * Published (with Micronaut's {@code ApplicationEventPublisher}) after a transaction that changed an alert has
 * committed: the alert was opened, acknowledged, dispatched, resolved, moved... {@code eventId} is the id of the
 * {@code alert_event} row that records the step; the SSE stream sends every {@code alert_event} row in id order, so
 * this event only wakes it up.
 */
public record AlertChanged(long alertId, long eventId) {}
