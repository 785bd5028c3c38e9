package org.geoward.sighting;

import java.time.Duration;

/**
 * The one input of the evaluation: committed batches of the log, in log order. The in-process implementation
 * ({@code org.geoward.partition.PartitionedEvaluation}) spreads each batch over its partitions by subject id; a Kafka
 * consumer could feed the same partitions the same way.
 *
 * <p>{@link #accept} is called by one thread at a time, after the commit that holds the batch, and may block while
 * the evaluation is behind (that is the back-pressure that ends in a full ingest queue and a 503).
 */
public interface EvaluationInput {

    /** Takes a committed batch for evaluation; returns once it is queued, not once it is evaluated. */
    void accept(LogBatch batch);

    /**
     * Waits until the log up to {@code position} is evaluated and what it decided is written; false if that took
     * longer than {@code timeout}.
     */
    boolean awaitEvaluated(long position, Duration timeout);

    /** Tells whether the evaluation has caught up with the log at start; until then the log takes no appends. */
    boolean isReady();
}
