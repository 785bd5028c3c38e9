package org.geoward.alert;

/**
 * Frees whoever an alert was assigned to when the alert is resolved, inside the resolving transaction, so no alert is
 * ever RESOLVED while its officer is still BUSY. {@link AlertEvents} calls it for every RESOLVED step, before the
 * step is written; dispatch ({@code org.geoward.dispatch.OfficerRelease}) is the implementation.
 */
public interface AssignmentRelease {

    /** Makes the officer assigned to alert {@code alertId} (if any, and if BUSY) AVAILABLE again. */
    void release(long alertId);
}
