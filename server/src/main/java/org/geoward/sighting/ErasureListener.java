package org.geoward.sighting;

import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Singleton;
import org.geoward.subject.SubjectErased;

/** Makes ingest's memories forget an erased person once the erasure has committed. */
@Singleton
class ErasureListener {
    private final LatestPositions positions;
    private final GuardianFixes guardians;

    ErasureListener(LatestPositions positions, GuardianFixes guardians) {
        this.positions = positions;
        this.guardians = guardians;
    }

    @TransactionalEventListener
    void erased(SubjectErased erased) {
        positions.forget(erased.subjectId());
        guardians.forget(erased.subjectId());
    }
}
