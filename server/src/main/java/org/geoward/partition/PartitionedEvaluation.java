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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.geoward.alert.AlertChanged;
import org.geoward.alert.AlertEvents;
import org.geoward.alert.AlertWriter;
import org.geoward.alert.ResolvedByHand;
import org.geoward.evaluate.AlertType;
import org.geoward.evaluate.Evaluator;
import org.geoward.evaluate.SubjectState;
import org.geoward.fence.FenceCatalog;
import org.geoward.sighting.EvaluationInput;
import org.geoward.sighting.GuardianFixes;
import org.geoward.sighting.LogBatch;
import org.geoward.sighting.LoggedFix;
import org.geoward.sighting.SightingLog;
import org.geoward.sighting.SubjectMoved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation, off the request path: committed log batches are spread over {@code geoward.evaluate.partitions}
 * partitions (default: the number of cores) by subject id; one thread per partition evaluates its subjects' fixes in
 * log order with their states in memory, and writes what it decides when it decides it: alerts, their timeline steps
 * and (through the notification router) their outbox rows, in one transaction per group of batches. Every alert
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
 *
 * <p>This class owns the routing and the life cycle: which partition owns a subject ({@link #partitionOf(long, int)}),
 * the start (checkpoints loaded, then the replay from {@code sighting}), the adoption and release of partitions in
 * cluster mode, the barriers and the stop. A {@link Partition} is one queue, its states and its thread;
 * {@link Checkpoints} reads and writes the checkpoints; a {@link DecisionWriter} writes a partition's decisions.
 */
@Singleton
public class PartitionedEvaluation implements EvaluationInput, ResolvedByHand {
    /** The types whose episode ends when a person resolves the alert, so the next episode may raise it again. */
    static final Set<AlertType> EPISODE_ENDS_ON_RESOLVE = Set.of(AlertType.DANGER, AlertType.LOITER, AlertType.SOS);

    private static final Logger LOG = LoggerFactory.getLogger(PartitionedEvaluation.class);

    private final Provider<SightingLog> log;
    private final Checkpoints checkpoints;
    private final Partition[] partitions;
    /** Cluster mode: the partitions are Kafka's, adopted and released as the consumer group assigns them. */
    private final boolean clustered;

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
        this.log = log;
        this.clustered = !kafkaBootstrap.isBlank();
        this.relay = relay;
        int count = clustered
                ? kafkaPartitions
                : partitions > 0 ? partitions : Runtime.getRuntime().availableProcessors();
        this.checkpoints = new Checkpoints(tx, jdbc, count, topic, node);
        Partition.Setup setup = new Partition.Setup(
                new Evaluator(),
                fences,
                guardians,
                publisher,
                movements,
                checkpoints,
                count,
                Math.max(2, queueBatches),
                checkpointInterval,
                Math.max(0, companionWait.toNanos()),
                clustered,
                () -> running);
        this.partitions = new Partition[count];
        for (int i = 0; i < count; i++) {
            this.partitions[i] = new Partition(i, setup, new DecisionWriter(i, tx, writer, events, () -> running));
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

    /**
     * {@link #partitionOf(long, int)} as a PostgreSQL expression over the bigint column {@code idColumn}, so a query
     * can select one partition's rows: the low 32 bits of {@code id ^ (id >>> 32)} times {@code 0x9E3779B9}, taken
     * as a signed int, floor-modulo {@code count}.
     */
    static String partitionOfSql(String idColumn, int count) {
        String low = "((" + idColumn + " # (" + idColumn + " >> 32)) & 4294967295)";
        String product = "((" + low + "::numeric * 2654435769) % 4294967296)::bigint";
        String signed = "(" + product + " - CASE WHEN " + product + " >= 2147483648 THEN 4294967296 ELSE 0 END)";
        return "mod(mod(" + signed + ", " + count + ") + " + count + ", " + count + ")";
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
            partitions[i].put(new Work.Fixes(batch.position(), split.get(i)));
        }
    }

    /** Deletes an erased person's stored state, inside the erasure's transaction (then {@link #forget} it). */
    void deleteState(long subjectId) {
        checkpoints.deleteState(subjectId);
    }

    /** Tells the owner of an erased person's state to forget it (not to write it back at the next checkpoint). */
    void forget(long subjectId) {
        partitions[partitionOf(subjectId)].put(new Work.Forget(subjectId));
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
            partitions[partitionOf(subjectId)].put(new Work.Resolved(subjectId, type, fenceId));
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
        Map<Long, SubjectState> loaded = checkpoints.states(partition);
        Set<Long> changed = new HashSet<>();
        checkpoints.forgetResolved(loaded, changed, partition);
        Work.Adopt adopt = new Work.Adopt(loaded, changed, nextOffset - 1, epoch, new CompletableFuture<>());
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
        Work.Release release = new Work.Release(checkpoint, new CompletableFuture<>());
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
        partitions[partition].put(new Work.Fixes(batch.position(), batch.fixes()));
    }

    /** Cluster mode: a resolution read from {@code partition}, in order with its fixes. */
    public void resolvedIn(int partition, long subjectId, AlertType type, Long fenceId) {
        partitions[partition].put(new Work.Resolved(subjectId, type, fenceId));
    }

    /**
     * Runs the OFFLINE check of every ward in {@code offlineMinutes} (ward id → minutes) at wall-clock time {@code now},
     * each in its partition; returns how many OFFLINE alerts opened.
     */
    int checkOffline(Map<Long, Integer> offlineMinutes, Instant now) {
        List<CompletableFuture<Integer>> opened = new ArrayList<>();
        for (Partition p : partitions) {
            Work.Tick tick = new Work.Tick(now, offlineMinutes, new CompletableFuture<>());
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
            Work.Barrier b = new Work.Barrier(true, new CompletableFuture<>());
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
        long[] from = checkpoints.positions();
        Map<Long, SubjectState> all = checkpoints.states();
        Set<Long> changed = new HashSet<>();
        checkpoints.forgetResolved(all, changed, -1);
        all.forEach((id, state) -> partitions[partitionOf(id)].states.put(id, state));
        changed.forEach(id -> partitions[partitionOf(id)].dirty.add(id));
        int loaded = all.size();
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
}
