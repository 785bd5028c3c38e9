package org.geoward.partition;

import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Singleton;
import java.util.List;
import org.geoward.subject.KeptAboutSubject;
import org.geoward.subject.SubjectErased;

/**
 * Erases a person from the evaluation: inside the erasure's transaction their stored state is deleted; once it has
 * committed, the partition owning them forgets the state it holds in memory.
 */
@Singleton
class ErasureListener implements KeptAboutSubject {
    private final PartitionedEvaluation evaluation;

    ErasureListener(PartitionedEvaluation evaluation) {
        this.evaluation = evaluation;
    }

    @Override
    public void anonymise(long subjectId, List<String> phones) {
        evaluation.deleteState(subjectId);
    }

    @TransactionalEventListener
    void erased(SubjectErased erased) {
        evaluation.forget(erased.subjectId());
    }
}
