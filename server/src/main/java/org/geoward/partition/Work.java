package org.geoward.partition;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.geoward.evaluate.AlertType;
import org.geoward.evaluate.SubjectState;
import org.geoward.sighting.LoggedFix;

/**
 * Work for a {@link Partition}, in the order it must be done: its fixes, and everything else that touches its states
 * (a person's resolve, an erasure, the OFFLINE check, barriers, cluster adoption and release) travels in the same
 * queue, so it happens in order with the fixes.
 */
sealed interface Work
        permits Work.Fixes, Work.Forget, Work.Resolved, Work.Tick, Work.Barrier, Work.Adopt, Work.Release {

    /** Cluster mode: the partition's states from its checkpoint, which covers Kafka offsets up to {@code covered}. */
    record Adopt(
            Map<Long, SubjectState> states, Set<Long> dirty, long covered, long epoch, CompletableFuture<Void> done)
            implements Work {}

    /** Cluster mode: the partition goes to another node (checkpointed first) or was lost (not). */
    record Release(boolean checkpoint, CompletableFuture<Void> done) implements Work {}

    /** A log batch's fixes of one partition; {@code position} is the batch's. */
    record Fixes(long position, List<LoggedFix> fixes) implements Work {}

    /** A person was erased: forget their state. */
    record Forget(long subjectId) implements Work {}

    /** A person resolved an alert of a subject. */
    record Resolved(long subjectId, AlertType type, Long fenceId) implements Work {}

    /** The OFFLINE check: ward id → offline minutes. */
    record Tick(Instant now, Map<Long, Integer> offlineMinutes, CompletableFuture<Integer> opened) implements Work {}

    /** Completes once everything queued before it is written (and checkpointed, if asked). */
    record Barrier(boolean checkpoint, CompletableFuture<Void> done) implements Work {}
}
