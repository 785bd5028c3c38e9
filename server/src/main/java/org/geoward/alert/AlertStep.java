package org.geoward.alert;

import java.util.Map;

/**
 * One step of an alert's life waiting to be written to {@code alert_event} at the end of its transaction.
 *
 * @param action OPENED, ACKNOWLEDGED, RESOLVED, ...
 * @param status the alert's status after the step
 * @param detail free-form facts about the step (JSON object)
 */
public record AlertStep(long alertId, String actor, String action, AlertStatus status, Map<String, Object> detail) {}
