package org.geoward.sighting;

import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Singleton;
import java.util.List;
import org.geoward.subject.KeptAboutSubject;
import org.geoward.subject.SubjectErased;

/**
 * Erases a person from ingest: inside the erasure's transaction their fixes and stored latest position are deleted;
 * once it has committed, the memories (latest positions, guardians' fixes) forget them.
 */
@Singleton
class ErasureListener implements KeptAboutSubject {
    private final LatestPositions positions;
    private final GuardianFixes guardians;
    private final SightingDeletion deletion;

    ErasureListener(LatestPositions positions, GuardianFixes guardians, SightingDeletion deletion) {
        this.positions = positions;
        this.guardians = guardians;
        this.deletion = deletion;
    }

    @Override
    public void anonymise(long subjectId, List<String> phones) {
        deletion.deleteOf(List.of(subjectId));
        positions.deleteStored(subjectId);
    }

    @TransactionalEventListener
    void erased(SubjectErased erased) {
        positions.forget(erased.subjectId());
        guardians.forget(erased.subjectId());
    }
}
