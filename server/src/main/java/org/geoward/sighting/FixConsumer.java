package org.geoward.sighting;

import java.util.List;
import java.util.Map;
import org.geoward.subject.SubjectInfo;

/**
 * Takes stored sightings for evaluation. The one entry into the evaluator: the in-process implementation
 * ({@code org.geoward.alert.EvaluationService}) is called by {@link SightingService} inside the transaction that
 * stores the batch, so the sightings, the evaluator state and the alerts they cause commit together; a Kafka
 * consumer keyed by subject id could call {@link #accept} the same way on another node.
 *
 * <p>Implementations evaluate each subject's sightings in event-time order, one worker per subject at a time.
 */
public interface FixConsumer {

    /**
     * Evaluates sightings of any subjects, in any order (each is sorted by event time per subject), in a transaction
     * of its own, and returns once the resulting state and alerts are committed and announced. {@code subjects} holds
     * the subjects the caller looked up for them, by id; sightings of a subject not in it are skipped.
     */
    void accept(List<Sighting> sightings, Map<Long, SubjectInfo> subjects);

    /**
     * As {@link #accept}, inside the caller's open transaction: the evaluation's writes join it, under a savepoint, so
     * a failed evaluation is rolled back alone (logged) and the caller's own writes stay. Returns what announces the
     * result (alert events, movements); the caller runs it once its transaction has committed, and never if it did
     * not.
     */
    Runnable acceptWithin(List<Sighting> sightings, Map<Long, SubjectInfo> subjects);
}
