package org.geoward.partition;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.geoward.alert.AlertChanged;
import org.geoward.alert.AlertEvents;
import org.geoward.alert.AlertStep;
import org.geoward.alert.AlertWriter;
import org.geoward.alert.ResolvedByHand;
import org.geoward.evaluate.AlertType;
import org.geoward.evaluate.Evaluator;
import org.geoward.evaluate.FenceIndex;
import org.geoward.evaluate.Fix;
import org.geoward.evaluate.SubjectKind;
import org.geoward.evaluate.SubjectState;
import org.geoward.evaluate.Transition;
import org.geoward.fence.FenceCatalog;
import org.geoward.problem.DatabaseFailures;
import org.geoward.sighting.EvaluationInput;
import org.geoward.sighting.GuardianFixes;
import org.geoward.sighting.LogBatch;
import org.geoward.sighting.LoggedFix;
import org.geoward.sighting.Sighting;
import org.geoward.sighting.SightingLog;
import org.geoward.sighting.SubjectMoved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation, off the request path: committed log batches are spread over {@code geoward.evaluate.partitions}
 * partitions (default: the number of cores) by subject id; one thread per partition evaluates its subjects' fixes in
 * log order with their states in memory, and writes what it decides when it decides it: alerts, their timeline steps
 * and (by the {@code alert_event} trigger) their outbox rows, in one transaction per group of batches. Every alert
 * carries its idempotency key (subject, fence, type, event time of the opening fix: the unique index
 * {@code alert_once}), so deciding it again is a no-op.
 *
 * <p>Instead of writing the states per batch, each partition checkpoints the states that changed and the log
 * position it has fully evaluated every {@code geoward.evaluate.checkpoint-interval} (default 5 s) and on shutdown,
 * in one transaction ({@code subject_state}, {@code evaluator_checkpoint}). At start it loads every state, forgets
 * open episodes whose alert a person resolved meanwhile, and replays the log after its checkpoint; only then does the
 * log take appends. A crash therefore loses no decision: what was decided after the checkpoint is decided again,
 * and finds its alert already there.
 *
 * <p>A WANDER waits for company that may still come: when a ward's fix would raise it alone while one of its
 * guardians, reporting within the last {@link GuardianFixes#KEPT}, has not yet reported up to the ward's fix time,
 * the ward's fixes are held (state untouched) until every such guardian has reported past it or
 * {@code geoward.evaluate.companion-wait} (default 30 s, 0 = off) of wall-clock time has passed, then evaluated with
 * the guardians' fixes that came meanwhile. Checkpoints stop before the oldest held fix, so a crash replays it.
 *
 * <p>People's actions that change a state (a dispatcher resolving a DANGER, LOITER or SOS), the OFFLINE check and
 * the barrier of {@link #awaitEvaluated} travel through the same partition queues, in order with the fixes. The
 * queues are bounded ({@code geoward.evaluate.queue-batches}); a full one makes the log wait. Thread-safe.
 */
@Singleton
public class PartitionedEvaluation implements EvaluationInput, ResolvedByHand {
    /** The types whose episode ends when a person resolves the alert, so the next episode may raise it again. */
    static final Set<AlertType> EPISODE_ENDS_ON_RESOLVE = Set.of(AlertType.DANGER, AlertType.LOITER, AlertType.SOS);

    private static final Logger LOG = LoggerFactory.getLogger(PartitionedEvaluation.class);
    private static final int GROUP_FIXES = 5_000;

    private final Evaluator evaluator = new Evaluator();
    private final FenceCatalog fences;
    private final TransactionOperations<Connection> tx;
    private final JdbcOperations jdbc;
    private final AlertWriter writer;
    private final AlertEvents events;
    private final GuardianFixes guardians;
    private final Provider<SightingLog> log;
    private final ApplicationEventPublisher<AlertChanged> publisher;
    private final ApplicationEventPublisher<SubjectMoved> movements;
    private final Duration checkpointInterval;
    private final int queueBatches;
    private final long companionWaitNanos;
    private final Partition[] partitions;
    /** Cluster mode: the partitions are Kafka's, adopted and released as the consumer group assigns them. */
    private final boolean clustered;

    private final String topic;
    private final String node;
    private final ResolutionRelay relay;
    private volatile boolean ready;
    private volatile boolean running = true;

    PartitionedEvaluation(
            FenceCatalog fences,
            TransactionOperations<Connection> tx,
            JdbcOperations jdbc,
            AlertWriter writer,
            AlertEvents events,
            GuardianFixes guardians,
            Provider<SightingLog> log,
            ApplicationEventPublisher<AlertChanged> publisher,
            ApplicationEventPublisher<SubjectMoved> movements,
            @Value("${geoward.evaluate.partitions:0}") int partitions,
            @Value("${geoward.evaluate.checkpoint-interval:5s}") Duration checkpointInterval,
            @Value("${geoward.evaluate.queue-batches:256}") int queueBatches,
            @Value("${geoward.evaluate.companion-wait:30s}") Duration companionWait,
            @Value("${geoward.kafka.bootstrap:}") String kafkaBootstrap,
            @Value("${geoward.kafka.partitions:12}") int kafkaPartitions,
            @Value("${geoward.kafka.topic:geoward-fixes}") String topic,
            @Value("${geoward.kafka.node-id:}") String node,
            @Nullable ResolutionRelay relay) {
        this.fences = fences;
        this.tx = tx;
        this.jdbc = jdbc;
        this.writer = writer;
        this.events = events;
        this.guardians = guardians;
        this.log = log;
        this.publisher = publisher;
        this.movements = movements;
        this.checkpointInterval = checkpointInterval;
        this.queueBatches = Math.max(2, queueBatches);
        this.companionWaitNanos = Math.max(0, companionWait.toNanos());
        this.clustered = !kafkaBootstrap.isBlank();
        this.topic = topic;
        this.node = node;
        this.relay = relay;
        int count = clustered
                ? kafkaPartitions
                : partitions > 0 ? partitions : Runtime.getRuntime().availableProcessors();
        this.partitions = new Partition[count];
        for (int i = 0; i < count; i++) {
            this.partitions[i] = new Partition(i);
        }
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    /** The partition that owns a subject. */
    int partitionOf(long subjectId) {
        return partitionOf(subjectId, partitions.length);
    }

    /** The partition of {@code count} that owns a subject: the Kafka producer places fixes by the same rule. */
    public static int partitionOf(long subjectId, int count) {
        return Math.floorMod(Long.hashCode(subjectId) * 0x9E3779B9, count);
    }

    @Override
    public void accept(LogBatch batch) {
        List<List<LoggedFix>> split = new ArrayList<>(partitions.length);
        for (int i = 0; i < partitions.length; i++) {
            split.add(new ArrayList<>());
        }
        for (LoggedFix f : batch.fixes()) {
            split.get(partitionOf(f.sighting().subjectId())).add(f);
        }
        for (int i = 0; i < partitions.length; i++) {
            partitions[i].put(new Fixes(batch.position(), split.get(i)));
        }
    }

    /** Tells the owner of an erased person's state to forget it (not to write it back at the next checkpoint). */
    void forget(long subjectId) {
        partitions[partitionOf(subjectId)].put(new Forget(subjectId));
    }

    /** Tells the owner of the subject's state that a person resolved one of its alerts. */
    @Override
    public void alertResolved(long subjectId, AlertType type, Long fenceId) {
        if (!EPISODE_ENDS_ON_RESOLVE.contains(type)) {
            return;
        }
        if (clustered && relay != null) {
            relay.relay(subjectId, type, fenceId);
        } else {
            partitions[partitionOf(subjectId)].put(new Resolved(subjectId, type, fenceId));
        }
    }

    // cluster mode: the consumer group's partitions -------------------------------------------------------------------

    /** The number of partitions (in cluster mode: of the Kafka topic). */
    public int partitionCount() {
        return partitions.length;
    }

    /**
     * Cluster mode: takes over {@code partition} from its checkpoint: loads its subjects' states, forgets episodes a
     * person resolved meanwhile, and from then on evaluates what comes from Kafka offset {@code nextOffset} on,
     * writing checkpoints under {@code epoch} only (a node that lost the partition writes none). Returns once the
     * partition has taken it in.
     */
    public void adopt(int partition, long nextOffset, long epoch) {
        Map<Long, SubjectState> loaded = readStates(partition);
        Set<Long> changed = new HashSet<>();
        reconcile(loaded, changed, readUnresolved());
        Adopt adopt = new Adopt(loaded, changed, nextOffset - 1, epoch, new CompletableFuture<>());
        partitions[partition].put(adopt);
        awaitPartition(partition, adopt.done(), "adopting");
    }

    /**
     * Cluster mode: gives {@code partition} up: writes what it decided and, if {@code checkpoint} (a revocation, not a
     * loss), its checkpoint; then forgets its states. Returns once done.
     */
    public void release(int partition, boolean checkpoint) {
        if (!running) {
            return; // stopping: each partition writes its last checkpoint as it ends
        }
        Release release = new Release(checkpoint, new CompletableFuture<>());
        partitions[partition].put(release);
        awaitPartition(partition, release.done(), "releasing");
    }

    private static void awaitPartition(int partition, CompletableFuture<Void> done, String what) {
        try {
            done.get(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(what + " partition " + partition + " did not finish: " + e, e);
        }
    }

    /** Cluster mode: a batch of {@code partition}'s fixes; each fix's {@code seq} is its Kafka offset. */
    public void accept(int partition, LogBatch batch) {
        partitions[partition].put(new Fixes(batch.position(), batch.fixes()));
    }

    /** Cluster mode: a resolution read from {@code partition}, in order with its fixes. */
    public void resolvedIn(int partition, long subjectId, AlertType type, Long fenceId) {
        partitions[partition].put(new Resolved(subjectId, type, fenceId));
    }

    /**
     * Runs the OFFLINE check of every ward in {@code offlineMinutes} (ward id → minutes) at wall-clock time {@code now},
     * each in its partition; returns how many OFFLINE alerts opened.
     */
    int checkOffline(Map<Long, Integer> offlineMinutes, Instant now) {
        List<CompletableFuture<Integer>> opened = new ArrayList<>();
        for (Partition p : partitions) {
            Tick tick = new Tick(now, offlineMinutes, new CompletableFuture<>());
            p.put(tick);
            opened.add(tick.opened());
        }
        return opened.stream().mapToInt(CompletableFuture::join).sum();
    }

    /**
     * Waits until every partition has evaluated the log up to {@code position} and written what it decided; false if
     * that took longer than {@code timeout}.
     */
    @Override
    public boolean awaitEvaluated(long position, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Partition p : partitions) {
            while (p.evaluated < position) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** The log position each partition has evaluated and written, by partition index. */
    public long[] partitionPositions() {
        long[] positions = new long[partitions.length];
        for (int i = 0; i < partitions.length; i++) {
            positions[i] = partitions[i].evaluated;
        }
        return positions;
    }

    /** How many pieces of work wait in each partition's queue, by partition index. */
    public int[] partitionQueues() {
        int[] sizes = new int[partitions.length];
        for (int i = 0; i < partitions.length; i++) {
            sizes[i] = partitions[i].queue.size();
        }
        return sizes;
    }

    /** Whether every partition's thread is running: false once one has died (liveness). */
    public boolean isAlive() {
        for (Partition p : partitions) {
            if (p.thread != null && !p.thread.isAlive() && running) {
                return false;
            }
        }
        return true;
    }

    /** The lowest log position that every partition has evaluated. */
    public long evaluatedPosition() {
        long min = Long.MAX_VALUE;
        for (Partition p : partitions) {
            min = Math.min(min, p.evaluated);
        }
        return min;
    }

    /** Makes every partition write its checkpoint now; returns once they are committed. */
    public void checkpointNow() {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Partition p : partitions) {
            Barrier b = new Barrier(true, new CompletableFuture<>());
            p.put(b);
            done.add(b.done());
        }
        done.forEach(CompletableFuture::join);
    }

    /** Loads the checkpoints and states, starts the partitions and replays the log after the checkpoints. */
    @EventListener
    void onStartup(StartupEvent event) {
        start();
    }

    public synchronized void start() {
        if (ready) {
            return;
        }
        long began = System.nanoTime();
        if (clustered) {
            startThreads();
            ready = true;
            LOG.info(
                    "evaluation ready in cluster mode: {} partitions, adopted as Kafka assigns them",
                    partitions.length);
            return;
        }
        long[] from = checkpoints();
        int loaded = loadStates();
        reconcile();
        long replayFrom = Long.MAX_VALUE;
        for (int i = 0; i < partitions.length; i++) {
            partitions[i].evaluated = from[i];
            partitions[i].checkpointed = from[i];
            replayFrom = Math.min(replayFrom, from[i]);
        }
        startThreads();
        long replayed = log.get().replay(replayFrom, this);
        ready = true;
        LOG.info(
                "evaluation ready: {} partitions, {} states loaded, {} fixes replayed from log position {} in {} ms",
                partitions.length,
                loaded,
                replayed,
                replayFrom,
                (System.nanoTime() - began) / 1_000_000);
    }

    private void startThreads() {
        for (Partition p : partitions) {
            Thread t = new Thread(p, "evaluate-" + p.index);
            t.setDaemon(true);
            p.thread = t;
            t.start();
        }
    }

    /**
     * The log position each partition resumes after: its own checkpoint under the current partition count, or else
     * the lowest position written under another count (or before partitions existed), or else 0.
     */
    private long[] checkpoints() {
        Map<Integer, Long> own = new HashMap<>();
        long[] foreign = {Long.MAX_VALUE};
        tx.executeRead(status ->
                jdbc.prepareStatement("SELECT partition, partitions, position FROM evaluator_checkpoint", ps -> {
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (rs.getInt(2) == partitions.length) {
                                own.put(rs.getInt(1), rs.getLong(3));
                            } else {
                                foreign[0] = Math.min(foreign[0], rs.getLong(3));
                            }
                        }
                    }
                    return null;
                }));
        long fallback = foreign[0] == Long.MAX_VALUE ? 0 : foreign[0];
        long[] from = new long[partitions.length];
        for (int i = 0; i < from.length; i++) {
            from[i] = own.getOrDefault(i, fallback);
        }
        return from;
    }

    private int loadStates() {
        Map<Long, SubjectState> all = readStates(-1);
        all.forEach((id, state) -> partitions[partitionOf(id)].states.put(id, state));
        return all.size();
    }

    /** The stored states of one partition's subjects ({@code only}), or of all ({@code -1}). */
    private Map<Long, SubjectState> readStates(int only) {
        return tx.executeRead(
                status -> jdbc.prepareStatement("SELECT subject_id, state::text FROM subject_state", ps -> {
                    Map<Long, SubjectState> states = new HashMap<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long id = rs.getLong(1);
                            if (only < 0 || partitionOf(id) == only) {
                                states.put(id, SubjectState.fromJson(rs.getString(2)));
                            }
                        }
                    }
                    return states;
                }));
    }

    /**
     * Forgets the open DANGER, LOITER and SOS episodes whose alert was resolved by a person after the state's last
     * checkpoint (the partition had heard of it, but died before writing it down).
     */
    private void reconcile() {
        Map<Long, Set<SubjectState.AlertKey>> unresolved = readUnresolved();
        for (Partition p : partitions) {
            reconcile(p.states, p.dirty, unresolved);
        }
    }

    /** The alerts not resolved, by subject. */
    private Map<Long, Set<SubjectState.AlertKey>> readUnresolved() {
        Map<Long, Set<SubjectState.AlertKey>> unresolved = new HashMap<>();
        tx.executeRead(status ->
                jdbc.prepareStatement("SELECT subject_id, type, fence_id FROM alert WHERE status <> 'RESOLVED'", ps -> {
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            unresolved
                                    .computeIfAbsent(rs.getLong(1), k -> new HashSet<>())
                                    .add(new SubjectState.AlertKey(
                                            AlertType.valueOf(rs.getString(2)), rs.getObject(3, Long.class)));
                        }
                    }
                    return null;
                }));
        return unresolved;
    }

    /** Forgets in {@code states} the open episodes not in {@code unresolved}; adds the subjects changed to dirty. */
    private static void reconcile(
            Map<Long, SubjectState> states, Set<Long> dirty, Map<Long, Set<SubjectState.AlertKey>> unresolved) {
        Set<SubjectState.AlertKey> none = Set.of();
        states.forEach((id, state) -> {
            if (!state.hasOpenAlerts()) {
                return;
            }
            Set<SubjectState.AlertKey> open = unresolved.getOrDefault(id, none);
            for (SubjectState.AlertKey key : state.openAlerts().keySet()) {
                if (EPISODE_ENDS_ON_RESOLVE.contains(key.type()) && !open.contains(key)) {
                    state.markResolved(key.type(), key.fenceId());
                    dirty.add(id);
                }
            }
        });
    }

    /** Stops taking work, lets every partition finish its queue and write its last checkpoint. */
    @PreDestroy
    void stop() throws InterruptedException {
        if (!ready) {
            return;
        }
        ready = false;
        running = false;
        for (Partition p : partitions) {
            if (p.thread != null) {
                p.thread.join(30_000);
            }
        }
    }

    /** Work for a partition, in the order it must be done. */
    private sealed interface Work permits Fixes, Forget, Resolved, Tick, Barrier, Adopt, Release {}

    /** Cluster mode: the partition's states from its checkpoint, which covers Kafka offsets up to {@code covered}. */
    private record Adopt(
            Map<Long, SubjectState> states, Set<Long> dirty, long covered, long epoch, CompletableFuture<Void> done)
            implements Work {}

    /** Cluster mode: the partition goes to another node (checkpointed first) or was lost (not). */
    private record Release(boolean checkpoint, CompletableFuture<Void> done) implements Work {}

    /** A log batch's fixes of one partition; {@code position} is the batch's. */
    private record Fixes(long position, List<LoggedFix> fixes) implements Work {}

    /** A person was erased: forget their state. */
    private record Forget(long subjectId) implements Work {}

    /** A person resolved an alert of a subject. */
    private record Resolved(long subjectId, AlertType type, Long fenceId) implements Work {}

    /** The OFFLINE check: ward id → offline minutes. */
    private record Tick(Instant now, Map<Long, Integer> offlineMinutes, CompletableFuture<Integer> opened)
            implements Work {}

    /** Completes once everything queued before it is written (and checkpointed, if asked). */
    private record Barrier(boolean checkpoint, CompletableFuture<Void> done) implements Work {}

    /** A fix held back until {@code deadline} (System.nanoTime) for a guardian's company. */
    private record Held(LoggedFix fix, long deadline) {}

    /** A transition with the fix that caused it. */
    private record Decided(Transition transition, Instant lastFixAt, String evidenceUrl) {}

    /** One partition: its queue, its subjects' states, its thread. */
    private final class Partition implements Runnable {
        final int index;
        final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>(queueBatches);
        final Map<Long, SubjectState> states = new HashMap<>();
        final Set<Long> dirty = new HashSet<>();
        /** Ward fixes waiting for a guardian's company, per subject, in log order (see the class comment). */
        final Map<Long, ArrayDeque<Held>> held = new HashMap<>();

        Thread thread;
        /** The log position up to which everything is evaluated and written. */
        volatile long evaluated;
        /** The log position of the last checkpoint; fixes at or below it are in the loaded states already. */
        long checkpointed;

        long lastCheckpoint = System.nanoTime();
        /** Cluster mode: the epoch this node adopted the partition under; -1 while it does not own it. */
        long epoch = -1;
        // the group being worked on: what it decided, each subject's newest fix, the position it reaches
        final List<Decided> decided = new ArrayList<>();
        final Map<Long, LoggedFix> newest = new HashMap<>();
        long reached = -1;
        int groupFixes;

        Partition(int index) {
            this.index = index;
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
            while (running || !queue.isEmpty()) {
                try {
                    Work work = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (work != null || !held.isEmpty()) {
                        FenceIndex index = fences.index();
                        boolean worked = work != null;
                        while (work != null) {
                            handle(work, index);
                            work = groupFixes < GROUP_FIXES ? queue.poll() : null;
                        }
                        if (releaseHeld(index) || worked) {
                            flush();
                        }
                    }
                    if (System.nanoTime() - lastCheckpoint >= checkpointInterval.toNanos()) {
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
            if (work instanceof Fixes f) {
                for (LoggedFix fix : f.fixes()) {
                    if (fix.seq() > checkpointed && fix.subject() != null) {
                        evaluate(fix, index);
                    }
                }
                groupFixes += f.fixes().size();
                reached = Math.max(reached, f.position());
            } else if (work instanceof Resolved r) {
                SubjectState state = states.get(r.subjectId());
                if (state != null) {
                    state.markResolved(r.type(), r.fenceId());
                    dirty.add(r.subjectId());
                }
            } else if (work instanceof Forget f) {
                states.remove(f.subjectId());
                dirty.remove(f.subjectId());
                newest.remove(f.subjectId());
            } else if (work instanceof Tick t) {
                t.opened().complete(checkOffline(t));
            } else if (work instanceof Adopt a) {
                adopt(a);
            } else if (work instanceof Release r) {
                flush();
                try {
                    if (r.checkpoint()) {
                        checkpointQuietly();
                    }
                } finally {
                    forget();
                    r.done().complete(null);
                }
            } else if (work instanceof Barrier b) {
                flush();
                if (b.checkpoint()) {
                    checkpoint();
                }
                b.done().complete(null);
            }
        }

        private void adopt(Adopt a) {
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
                waiting.add(new Held(logged, System.nanoTime() + companionWaitNanos));
            } else if (!tryEvaluate(logged, index, false)) {
                waiting = new ArrayDeque<>();
                waiting.add(new Held(logged, System.nanoTime() + companionWaitNanos));
                held.put(id, waiting);
            }
        }

        /**
         * Evaluates one fix and keeps what it decided; unless {@code due}, refuses (returning false, the state as it
         * was) a fix that would raise WANDER alone while a guardian may still report company.
         */
        private boolean tryEvaluate(LoggedFix logged, FenceIndex index, boolean due) {
            Sighting s = logged.sighting();
            long id = s.subjectId();
            SubjectState state = states.computeIfAbsent(id, k -> new SubjectState());
            boolean mayWait = !due
                    && companionWaitNanos > 0
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
                    new HashSet<>(s.companions()),
                    logged.subject().category());
            Evaluator.Result r =
                    evaluator.evaluate(fix, state, index, logged.subject().guardianIds(), guardians);
            if (mayWait && opensWander(r)) {
                states.put(id, before);
                return false;
            }
            dirty.add(id);
            for (Transition t : r.transitions()) {
                decided.add(new Decided(t, s.time(), s.evidenceUrl()));
            }
            if (!r.outOfOrder() && !r.duplicate()) {
                newest.put(id, logged);
            }
            return true;
        }

        /** Whether a guardian who has been reporting has not yet reported up to {@code time}. */
        private boolean companyMayCome(Set<Long> guardianIds, Instant time) {
            for (Long g : guardianIds) {
                Optional<Fix> latest = guardians.latestFix(g);
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
                                waiting.peek().fix(),
                                index,
                                now - waiting.peek().deadline() >= 0)) {
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

        private int checkOffline(Tick tick) {
            int opened = 0;
            for (Map.Entry<Long, Integer> ward : tick.offlineMinutes().entrySet()) {
                if (partitionOf(ward.getKey()) != index) {
                    continue;
                }
                SubjectState state = states.get(ward.getKey());
                if (state == null) {
                    continue;
                }
                for (Transition t : evaluator.checkOffline(ward.getKey(), state, tick.now(), ward.getValue())) {
                    decided.add(new Decided(t, state.lastFixTime(), null));
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
            List<AlertChanged> changed = decided.isEmpty() && follows.isEmpty() ? List.of() : write(follows);
            changed.forEach(publisher::publishEvent);
            newest.values()
                    .forEach(f -> movements.publishEvent(new SubjectMoved(
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

        private List<AlertChanged> write(List<AlertWriter.Follow> follows) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return tx.executeWrite(status -> writeAll(decided, follows));
                } catch (RuntimeException e) {
                    if (DatabaseFailures.isTransient(e) && running) {
                        long pause = Math.min(5_000, 50L * attempt);
                        LOG.warn(
                                "partition {}: writing {} alert changes failed ({}); trying again in {} ms",
                                index,
                                decided.size(),
                                e.toString(),
                                pause);
                        sleep(pause);
                        continue;
                    }
                    LOG.error(
                            "partition {}: writing {} alert changes failed; writing them one by one",
                            index,
                            decided.size(),
                            e);
                    return writeOneByOne(follows);
                }
            }
        }

        private List<AlertChanged> writeOneByOne(List<AlertWriter.Follow> follows) {
            List<AlertChanged> changed = new ArrayList<>();
            for (Decided d : decided) {
                try {
                    changed.addAll(tx.executeWrite(status -> writeAll(List.of(d), List.of())));
                } catch (RuntimeException e) {
                    LOG.error("partition {}: could not write {}; it is lost", index, d.transition(), e);
                }
            }
            try {
                tx.executeWrite(status -> writeAll(List.of(), follows));
            } catch (RuntimeException e) {
                LOG.warn("partition {}: could not move open alerts to their newest fixes", index, e);
            }
            return changed;
        }

        private List<AlertChanged> writeAll(List<Decided> transitions, List<AlertWriter.Follow> follows) {
            List<AlertStep> steps = new ArrayList<>();
            for (Decided d : transitions) {
                writer.apply(d.transition(), d.lastFixAt(), d.evidenceUrl()).ifPresent(steps::add);
            }
            writer.followAll(follows);
            return events.append(steps);
        }

        private void checkpointQuietly() {
            try {
                checkpoint();
            } catch (RuntimeException e) {
                LOG.warn(
                        "partition {}: the last checkpoint failed; the next start replays from the one before",
                        index,
                        e);
            }
        }

        /** Writes the changed states and the evaluated position in one transaction. */
        private void checkpoint() {
            lastCheckpoint = System.nanoTime();
            if (clustered && epoch < 0) {
                return;
            }
            long position = Math.min(evaluated, belowHeld());
            if (dirty.isEmpty() && position == checkpointed) {
                return;
            }
            Long[] ids = dirty.toArray(Long[]::new);
            String[] json = new String[ids.length];
            String[] lastFix = new String[ids.length];
            for (int i = 0; i < ids.length; i++) {
                SubjectState state = states.get(ids[i]);
                json[i] = state.toJson();
                lastFix[i] =
                        state.lastFixTime() == null ? null : state.lastFixTime().toString();
            }
            try {
                tx.executeWrite(status -> {
                    if (ids.length > 0) {
                        saveStates(ids, json, lastFix);
                    }
                    if (clustered) {
                        saveOffset(position + 1);
                    } else {
                        savePosition(position);
                    }
                    return null;
                });
            } catch (PartitionTakenOver e) {
                LOG.warn("partition {}: {}; forgetting its states", index, e.getMessage());
                forget();
                return;
            }
            dirty.clear();
            checkpointed = position;
        }

        private void saveStates(Long[] ids, String[] json, String[] lastFix) {
            jdbc.prepareStatement(
                    """
                    INSERT INTO subject_state AS s (subject_id, state, last_fix_at, updated_at)
                    SELECT v.id, v.state::jsonb, v.last_fix::timestamptz, now()
                    FROM unnest(?::bigint[], ?::text[], ?::text[]) AS v(id, state, last_fix)
                    WHERE EXISTS (SELECT 1 FROM subject WHERE id = v.id)
                    ORDER BY v.id
                    ON CONFLICT (subject_id) DO UPDATE
                        SET state = EXCLUDED.state, last_fix_at = EXCLUDED.last_fix_at, updated_at = now()""",
                    ps -> {
                        ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids));
                        ps.setArray(2, ps.getConnection().createArrayOf("text", json));
                        ps.setArray(3, ps.getConnection().createArrayOf("text", lastFix));
                        return ps.executeUpdate();
                    });
        }

        /** Cluster mode: the next Kafka offset to evaluate, under this node's epoch; rolls back if another took it. */
        private void saveOffset(long nextOffset) {
            int updated = jdbc.prepareStatement(
                    """
                    UPDATE cluster_checkpoint SET next_offset = ?, updated_at = now()
                    WHERE topic = ? AND partition = ? AND epoch = ?""",
                    ps -> {
                        ps.setLong(1, nextOffset);
                        ps.setString(2, topic);
                        ps.setInt(3, index);
                        ps.setLong(4, epoch);
                        return ps.executeUpdate();
                    });
            if (updated == 0) {
                throw new PartitionTakenOver(
                        "another node adopted it under a newer epoch; " + node + " no longer owns it");
            }
        }

        private void savePosition(long position) {
            jdbc.prepareStatement(
                    """
                    INSERT INTO evaluator_checkpoint (partition, partitions, position, updated_at)
                    VALUES (?, ?, ?, now())
                    ON CONFLICT (partition) DO UPDATE
                        SET partitions = EXCLUDED.partitions, position = EXCLUDED.position, updated_at = now()""",
                    ps -> {
                        ps.setInt(1, index);
                        ps.setInt(2, partitions.length);
                        ps.setLong(3, position);
                        return ps.executeUpdate();
                    });
            // once every partition of this count has its own row, the older rows say nothing more
            jdbc.prepareStatement(
                    """
                    DELETE FROM evaluator_checkpoint
                    WHERE (partitions <> ? OR partition >= ?)
                      AND (SELECT count(*) FROM evaluator_checkpoint WHERE partitions = ? AND partition < ?) = ?""",
                    ps -> {
                        ps.setInt(1, partitions.length);
                        ps.setInt(2, partitions.length);
                        ps.setInt(3, partitions.length);
                        ps.setInt(4, partitions.length);
                        ps.setInt(5, partitions.length);
                        return ps.executeUpdate();
                    });
        }
    }

    /** A checkpoint found its partition adopted by another node under a newer epoch. */
    private static final class PartitionTakenOver extends RuntimeException {
        PartitionTakenOver(String message) {
            super(message);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
