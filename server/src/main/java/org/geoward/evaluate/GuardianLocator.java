package org.geoward.evaluate;

import java.time.Instant;
import java.util.Optional;

/** Looks up the latest known fix of a guardian; implementations must be safe to call from several threads. */
public interface GuardianLocator {
    /** Returns the guardian's latest fix, or empty when none is known. */
    Optional<Fix> latestFix(long guardianSubjectId);

    /**
     * Returns the guardian's known fix nearest in event time to {@code time}, or empty. The default is the latest
     * fix, for locators that keep only that.
     */
    default Optional<Fix> closestFix(long guardianSubjectId, Instant time) {
        return latestFix(guardianSubjectId);
    }

    /** Returns a locator that knows no guardian fixes. */
    static GuardianLocator none() {
        return id -> Optional.empty();
    }
}
