package org.geoward.partition;

import io.micronaut.context.event.ApplicationEventPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.geoward.alert.AlertChanged;
import org.geoward.alert.AlertWriter;
import org.geoward.evaluate.AlertType;
import org.geoward.evaluate.Evaluator;
import org.geoward.evaluate.FenceIndex;
import org.geoward.evaluate.Fix;
import org.geoward.evaluate.SubjectKind;
import org.geoward.evaluate.SubjectState;
import org.geoward.evaluate.Transition;
import org.geoward.fence.FenceCatalog;
import org.geoward.sighting.GuardianFixes;
import org.geoward.sighting.LoggedFix;
import org.geoward.sighting.Sighting;
import org.geoward.sighting.SubjectMoved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluation partition: its bounded queue of {@link Work}, the in-memory states of its subjects, and the thread
 * that works the queue in order. It evaluates each fix with {@link Evaluator}, holds a ward's fixes that would raise
 * WANDER alone while a guardian may still report company (see {@link PartitionedEvaluation}), writes what a group of
 * work decided through its {@link DecisionWriter} and announces it ({@link AlertChanged}, {@link SubjectMoved}), and
 * checkpoints its changed states and the position below its oldest held fix through {@link Checkpoints} every
 * checkpoint interval and when it ends. In cluster mode it evaluates only while it holds an epoch (from
 * {@link Work.Adopt} to {@link Work.Release}). Only its own thread touches its states; {@link #evaluated} and the
 * queue size are read from others.
 */
final class Partition implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);
    private static final int GROUP_FIXES = 5_000;

    /** What every partition of one evaluation shares. */
    record Setup(
            Evaluator evaluator,
            FenceCatalog fences,
            GuardianFixes guardians,
            ApplicationEventPublisher<AlertChanged> publisher,
            ApplicationEventPublisher<SubjectMoved> movements,
            Checkpoints checkpoints,
            int count,
            int queueBatches,
            Duration checkpointInterval,
            long companionWaitNanos,
            boolean clustered,
            BooleanSupplier running) {}

    /** A fix held back until {@code deadline} (System.nanoTime) for a guardian's company. */
    private record Held(LoggedFix fix, long deadline) {}

    final int index;
    final LinkedBlockingQueue<Work> queue;
    final Map<Long, SubjectState> states = new HashMap<>();
    final Set<Long> dirty = new HashSet<>();

    Thread thread;
    /** The log position up to which everything is evaluated and written. */
    volatile long evaluated;
    /** The log position of the last checkpoint; fixes at or below it are in the loaded states already. */
    long checkpointed;

    private final Setup setup;
    private final DecisionWriter writer;
    /** Ward fixes waiting for a guardian's company, per subject, in log order. */
    private final Map<Long, ArrayDeque<Held>> held = new HashMap<>();

    private long lastCheckpoint = System.nanoTime();
    /** Cluster mode: the epoch this node adopted the partition under; -1 while it does not own it. */
    private long epoch = -1;
    // the group being worked on: what it decided, each subject's newest fix, the position it reaches
    private final List<DecisionWriter.Decided> decided = new ArrayList<>();
    private final Map<Long, LoggedFix> newest = new HashMap<>();
    private long reached = -1;
    private int groupFixes;

    Partition(int index, Setup setup, DecisionWriter writer) {
        this.index = index;
        this.setup = setup;
        this.writer = writer;
        this.queue = new LinkedBlockingQueue<>(setup.queueBatches());
    }

    void put(Work work) {
        try {
            queue.put(work);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing work to evaluation partition " + index, e);
        }
    }

    @Override
    public void run() {
        while (setup.running().getAsBoolean() || !queue.isEmpty()) {
            try {
                Work work = queue.poll(100, TimeUnit.MILLISECONDS);
                if (work != null || !held.isEmpty()) {
                    FenceIndex index = setup.fences().index();
                    boolean worked = work != null;
                    while (work != null) {
                        handle(work, index);
                        work = groupFixes < GROUP_FIXES ? queue.poll() : null;
                    }
                    if (releaseHeld(index) || worked) {
                        flush();
                    }
                }
                if (System.nanoTime() - lastCheckpoint
                        >= setup.checkpointInterval().toNanos()) {
                    checkpoint();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("evaluation partition {} failed; going on with its next work", index, e);
            }
        }
        flush();
        checkpointQuietly();
    }

    private void handle(Work work, FenceIndex index) {
        if (work instanceof Work.Fixes f) {
            for (LoggedFix fix : f.fixes()) {
                if (fix.seq() > checkpointed && fix.subject() != null) {
                    evaluate(fix, index);
                }
            }
            groupFixes += f.fixes().size();
            reached = Math.max(reached, f.position());
        } else if (work instanceof Work.Resolved r) {
            SubjectState state = states.get(r.subjectId());
            if (state != null) {
                state.markResolved(r.type(), r.fenceId());
                dirty.add(r.subjectId());
            }
        } else if (work instanceof Work.Forget f) {
            states.remove(f.subjectId());
            dirty.remove(f.subjectId());
            newest.remove(f.subjectId());
        } else if (work instanceof Work.Tick t) {
            t.opened().complete(checkOffline(t));
        } else if (work instanceof Work.Adopt a) {
            adopt(a);
        } else if (work instanceof Work.Release r) {
            flush();
            try {
                if (r.checkpoint()) {
                    checkpointQuietly();
                }
            } finally {
                forget();
                r.done().complete(null);
            }
        } else if (work instanceof Work.Barrier b) {
            flush();
            if (b.checkpoint()) {
                checkpoint();
            }
            b.done().complete(null);
        }
    }

    private void adopt(Work.Adopt a) {
        flush();
        held.clear();
        states.clear();
        states.putAll(a.states());
        dirty.clear();
        dirty.addAll(a.dirty());
        evaluated = a.covered();
        checkpointed = a.covered();
        epoch = a.epoch();
        a.done().complete(null);
    }

    /** Cluster mode: the partition is no longer this node's: its states go, no checkpoint is written. */
    private void forget() {
        states.clear();
        dirty.clear();
        decided.clear();
        newest.clear();
        held.clear();
        epoch = -1;
    }

    private void evaluate(LoggedFix logged, FenceIndex index) {
        long id = logged.sighting().subjectId();
        ArrayDeque<Held> waiting = held.get(id);
        if (waiting != null) {
            waiting.add(new Held(logged, System.nanoTime() + setup.companionWaitNanos()));
        } else if (!tryEvaluate(logged, index, false)) {
            waiting = new ArrayDeque<>();
            waiting.add(new Held(logged, System.nanoTime() + setup.companionWaitNanos()));
            held.put(id, waiting);
        }
    }

    /**
     * Evaluates one fix and keeps what it decided; unless {@code due}, refuses (returning false, the state as it was)
     * a fix that would raise WANDER alone while a guardian may still report company.
     */
    private boolean tryEvaluate(LoggedFix logged, FenceIndex index, boolean due) {
        Sighting s = logged.sighting();
        long id = s.subjectId();
        SubjectState state = states.computeIfAbsent(id, k -> new SubjectState());
        boolean mayWait = !due
                && setup.companionWaitNanos() > 0
                && logged.subject().kind() == SubjectKind.WARD
                && s.companions().isEmpty()
                && companyMayCome(logged.subject().guardianIds(), s.time());
        SubjectState before = mayWait ? state.copy() : null;
        Fix fix = new Fix(
                id,
                logged.subject().kind(),
                s.time(),
                s.lon(),
                s.lat(),
                s.accuracy() == null ? 0 : s.accuracy(),
                s.sos(),
                s.companions().isEmpty() ? Set.of() : new HashSet<>(s.companions()),
                logged.subject().category());
        Evaluator.Result r =
                setup.evaluator().evaluate(fix, state, index, logged.subject().guardianIds(), setup.guardians());
        if (mayWait && opensWander(r)) {
            states.put(id, before);
            return false;
        }
        dirty.add(id);
        for (Transition t : r.transitions()) {
            decided.add(new DecisionWriter.Decided(t, s.time(), s.evidenceUrl()));
        }
        if (!r.outOfOrder() && !r.duplicate()) {
            newest.put(id, logged);
        }
        return true;
    }

    /** Whether a guardian who has been reporting has not yet reported up to {@code time}. */
    private boolean companyMayCome(Set<Long> guardianIds, Instant time) {
        for (Long g : guardianIds) {
            Optional<Fix> latest = setup.guardians().latestFix(g);
            if (latest.isPresent()
                    && latest.get().time().isBefore(time)
                    && !latest.get().time().isBefore(time.minus(GuardianFixes.KEPT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean opensWander(Evaluator.Result r) {
        for (Transition t : r.transitions()) {
            if (t.kind() == Transition.Kind.OPEN && t.type() == AlertType.WANDER) {
                return true;
            }
        }
        return false;
    }

    /** Evaluates the held fixes whose company came or whose wait is over, in log order; true if any was. */
    private boolean releaseHeld(FenceIndex index) {
        boolean released = false;
        long now = System.nanoTime();
        for (Iterator<ArrayDeque<Held>> it = held.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Held> waiting = it.next();
            while (!waiting.isEmpty()
                    && tryEvaluate(
                            waiting.peek().fix(), index, now - waiting.peek().deadline() >= 0)) {
                waiting.poll();
                released = true;
            }
            if (waiting.isEmpty()) {
                it.remove();
            }
        }
        return released;
    }

    /** The highest log position below every held fix. */
    private long belowHeld() {
        long below = Long.MAX_VALUE;
        for (ArrayDeque<Held> waiting : held.values()) {
            below = Math.min(below, waiting.peek().fix().seq() - 1);
        }
        return below;
    }

    private int checkOffline(Work.Tick tick) {
        int opened = 0;
        for (Map.Entry<Long, Integer> ward : tick.offlineMinutes().entrySet()) {
            if (PartitionedEvaluation.partitionOf(ward.getKey(), setup.count()) != index) {
                continue;
            }
            SubjectState state = states.get(ward.getKey());
            if (state == null) {
                continue;
            }
            for (Transition t : setup.evaluator().checkOffline(ward.getKey(), state, tick.now(), ward.getValue())) {
                decided.add(new DecisionWriter.Decided(t, state.lastFixTime(), null));
                dirty.add(ward.getKey());
                opened++;
            }
        }
        if (opened > 0) {
            flush();
        }
        return opened;
    }

    /** Writes what the group decided (retrying while the database is away), announces it, moves the position. */
    private void flush() {
        List<AlertWriter.Follow> follows = new ArrayList<>();
        newest.forEach((id, f) -> {
            SubjectState state = states.get(id);
            if (state != null && state.hasOpenAlerts()) {
                Sighting s = f.sighting();
                follows.add(new AlertWriter.Follow(id, s.time(), s.lon(), s.lat(), s.evidenceUrl()));
            }
        });
        List<AlertChanged> changed =
                decided.isEmpty() && follows.isEmpty() ? List.of() : writer.write(decided, follows);
        changed.forEach(setup.publisher()::publishEvent);
        newest.values().forEach(f -> setup.movements()
                .publishEvent(new SubjectMoved(
                        f.sighting().subjectId(),
                        f.subject().kind(),
                        f.sighting().lon(),
                        f.sighting().lat(),
                        f.sighting().time())));
        decided.clear();
        newest.clear();
        groupFixes = 0;
        if (reached > evaluated) {
            evaluated = reached;
        }
    }

    private void checkpointQuietly() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            LOG.warn("partition {}: the last checkpoint failed; the next start replays from the one before", index, e);
        }
    }

    /** Writes the changed states and the evaluated position in one transaction. */
    private void checkpoint() {
        lastCheckpoint = System.nanoTime();
        if (setup.clustered() && epoch < 0) {
            return;
        }
        long position = Math.min(evaluated, belowHeld());
        if (dirty.isEmpty() && position == checkpointed) {
            return;
        }
        try {
            setup.checkpoints().save(index, setup.clustered() ? epoch : -1, states, dirty, position);
        } catch (Checkpoints.PartitionTakenOver e) {
            LOG.warn("partition {}: {}; forgetting its states", index, e.getMessage());
            forget();
            return;
        }
        dirty.clear();
        checkpointed = position;
    }
}
