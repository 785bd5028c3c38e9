package org.geoward.sighting;

import java.util.List;
import java.util.Map;
import org.geoward.subject.SubjectInfo;

/**
 * Takes stored sightings for evaluation. The one entry into the evaluator: the in-process implementation
 * ({@code org.geoward.alert.EvaluationService}) is called by {@link SightingService} after the batch commits; a Kafka
 * consumer keyed by subject id could call it the same way on another node.
 *
 * <p>Implementations evaluate each subject's sightings in event-time order, one worker per subject at a time, and
 * return only when the resulting state and alerts are committed.
 */
public interface FixConsumer {

    /**
     * Evaluates sightings of any subjects, in any order (each is sorted by event time per subject). {@code subjects}
     * holds the subjects the caller looked up for them, by id; sightings of a subject not in it are skipped.
     */
    void accept(List<Sighting> sightings, Map<Long, SubjectInfo> subjects);
}
