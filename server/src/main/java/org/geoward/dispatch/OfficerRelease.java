package org.geoward.dispatch;

import jakarta.inject.Singleton;
import org.geoward.alert.AssignmentRelease;
import org.geoward.subject.OfficerStatuses;

/**
 * Makes an officer AVAILABLE again when the alert assigned to them is resolved, whoever resolves it (a person, the
 * evaluator, a work order's feedback): {@link org.geoward.alert.AlertEvents} calls it inside the resolving
 * transaction, before the RESOLVED step is written, so there is no moment in which the alert is RESOLVED and the
 * officer still BUSY. An officer who is OFF_DUTY (or anything but BUSY) is left as they are. Thread-safe.
 */
@Singleton
final class OfficerRelease implements AssignmentRelease {
    private final OfficerStatuses officers;

    OfficerRelease(OfficerStatuses officers) {
        this.officers = officers;
    }

    @Override
    public void release(long alertId) {
        officers.freeAssignedTo(alertId);
    }
}
