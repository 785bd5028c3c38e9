package org.geoward.partition;

import org.geoward.evaluate.AlertType;

/**
 * Carries "a person resolved this subject's alert" to the node that evaluates the subject (cluster mode: through the
 * fixes topic, in order with the subject's fixes). Without one, the resolution goes to this node's own partition.
 */
public interface ResolutionRelay {

    /** Hands the resolution on; returns once it is acknowledged. */
    void relay(long subjectId, AlertType type, Long fenceId);
}
