package org.geoward.evaluate;

import java.time.Instant;

/**
 * Describes one alert change decided by the evaluator.
 *
 * @param fenceId null for SOS and OFFLINE
 * @param at event time of the deciding fix (wall-clock time for OFFLINE)
 * @param outcome set on RESOLVE, e.g. {@code "RETURNED"}; null on OPEN
 */
public record Transition(
        Kind kind,
        AlertType type,
        long subjectId,
        Long fenceId,
        Instant at,
        double lon,
        double lat,
        String outcome,
        String detail) {

    /** Says whether an alert opens or resolves. */
    public enum Kind {
        OPEN,
        RESOLVE
    }
}
