package org.geoward.partition;

import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Singleton;
import org.geoward.subject.SubjectErased;

/** Makes the evaluation forget an erased person's state once the erasure has committed. */
@Singleton
class ErasureListener {
    private final PartitionedEvaluation evaluation;

    ErasureListener(PartitionedEvaluation evaluation) {
        this.evaluation = evaluation;
    }

    @TransactionalEventListener
    void erased(SubjectErased erased) {
        evaluation.forget(erased.subjectId());
    }
}
