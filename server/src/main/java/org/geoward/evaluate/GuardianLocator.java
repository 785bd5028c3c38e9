package org.geoward.evaluate;

import java.util.Optional;

/** Looks up the latest known fix of a guardian; implementations must be safe to call from several threads. */
public interface GuardianLocator {
    /** Returns the guardian's latest fix, or empty when none is known. */
    Optional<Fix> latestFix(long guardianSubjectId);

    /** Returns a locator that knows no guardian fixes. */
    static GuardianLocator none() {
        return id -> Optional.empty();
    }
}
