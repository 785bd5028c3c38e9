package org.geoward.alert;

import org.geoward.evaluate.AlertType;

/**
 * Told, after the commit, that a person resolved one of a subject's alerts, so the subject's evaluator can end the
 * episode where the type's episode ends on resolve. The evaluation ({@code org.geoward.partition.PartitionedEvaluation})
 * is the implementation; this interface keeps alert/ from importing it.
 */
public interface ResolvedByHand {

    /** A person resolved the subject's alert of {@code type} (at {@code fenceId}, or null for fence-less types). */
    void alertResolved(long subjectId, AlertType type, Long fenceId);
}
