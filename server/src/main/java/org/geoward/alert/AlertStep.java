package org.geoward.alert;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.Map;

/**
 * One step of an alert's life waiting to be written to {@code alert_event} at the end of its transaction.
 *
 * @param action OPENED, ACKNOWLEDGED, RESOLVED, ASSIGNED, ...
 * @param status the alert's status after the step
 * @param detail free-form facts about the step (JSON object)
 * @param at when the step happened, or null for the moment it is written ({@code clock_timestamp()})
 */
public record AlertStep(
        long alertId,
        String actor,
        String action,
        AlertStatus status,
        Map<String, Object> detail,
        @Nullable Instant at) {

    /** A step that happens when it is written. */
    public AlertStep(long alertId, String actor, String action, AlertStatus status, Map<String, Object> detail) {
        this(alertId, actor, action, status, detail, null);
    }
}
