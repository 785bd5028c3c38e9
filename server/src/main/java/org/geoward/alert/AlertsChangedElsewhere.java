package org.geoward.alert;

/**
 * Published when another node of a cluster committed an alert change ({@code alert_event} row {@code eventId}): wakes
 * this node's SSE streams, which read {@code alert_event} in id order. Unlike {@link AlertChanged} it starts nothing
 * else (automatic dispatch runs on the node that made the change).
 */
public record AlertsChangedElsewhere(long alertId, long eventId) {}
