package org.geoward.notify;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import org.geoward.evaluate.SubjectCategory;

/**
 * One alert step as the notification router sees it: the {@code alert_event} row with its alert, subject and fence,
 * read in the step's transaction. Times are instants; {@code zone} is the fence's time zone (or null).
 *
 * @param outcome the step's outcome: the RESOLVED step's {@code detail.outcome} (or the alert's), null for every other
 *     step (an OPENED step appended in the same transaction as the resolution says no outcome)
 * @param category the ward's category as stored (null: none recorded, or not a ward)
 * @param payloadJson the JSON every message of the step carries (webhook body, in-app details)
 */
record Occasion(
        long eventId,
        long alertId,
        String action,
        String type,
        @Nullable Long subjectId,
        @Nullable String subjectName,
        @Nullable String subjectPhone,
        @Nullable Integer offlineMinutes,
        @Nullable Long fenceId,
        @Nullable String fenceName,
        @Nullable String zone,
        @Nullable Integer dwellMinutes,
        Instant openedAt,
        @Nullable Instant resolvedAt,
        Instant now,
        @Nullable String outcome,
        @Nullable SubjectCategory category,
        String payloadJson) {

    boolean isOpened() {
        return "OPENED".equals(action);
    }

    boolean isResolved() {
        return "RESOLVED".equals(action);
    }
}
