package org.geoward.sighting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.geoward.problem.DatabaseFailures;
import org.geoward.problem.ProblemException;
import org.geoward.problem.SettingsException;
import org.geoward.subject.SubjectDirectory;
import org.geoward.subject.SubjectInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log: group commit of concurrent appends to {@code sighting}. Callers {@link #append} their checked, resolved
 * sightings and wait; one writer thread gathers what is queued (up to {@code geoward.ingest.group-fixes}, default
 * 5,000 fixes, lingering at most {@code geoward.ingest.group-linger}, default 1 ms, for more), stores it in one
 * statement in (subject, time) order (a binary COPY; a group that meets a fix stored before is stored again by the
 * deduplicating insert, that group only; {@code geoward.ingest.append: insert} always inserts), commits once and only then answers every caller of the group with the log
 * positions of its new rows: acknowledged means on disk. Then it moves the {@link LatestPositions} and the
 * {@link GuardianFixes} forward and hands the batch to the {@link EvaluationInput}.
 *
 * <p>The queue is bounded ({@code geoward.ingest.queue-fixes}, default 50,000 fixes): an append that does not fit is
 * refused with a 503 and {@code Retry-After}, so memory never grows with the load. The evaluation's own queues are
 * bounded too; when it falls behind, the writer waits for it, this queue fills, and the senders are told to wait.
 *
 * <p>When a group finds the database unreachable, it and everything queued behind it fail at once (503 + {@code
 * Retry-After}), and for one second new appends are refused without waiting: a sender hears within about one
 * connection timeout that it must send again, instead of queueing behind attempts that will fail the same way.
 *
 * <p>The one writer is what makes {@code seq} follow commit order, so that "evaluated up to position n" means every
 * row at or below n. Thread-safe.
 */
@Singleton
public class SightingLog {
    private static final Logger LOG = LoggerFactory.getLogger(SightingLog.class);

    /** Rows stored in this order, so that two groups sharing keys wait for each other instead of deadlocking. */
    private static final Comparator<Sighting> STORE_ORDER =
            Comparator.comparingLong(Sighting::subjectId).thenComparing(Sighting::time);

    private static final int REPLAY_CHUNK = 5_000;

    /** How long appends are refused at once after a group found the database unreachable. */
    private static final Duration UNREACHABLE_PAUSE = Duration.ofSeconds(1);

    private final SightingStore store;
    private final SubjectDirectory directory;
    private final TransactionOperations<Connection> tx;
    private final EvaluationInput evaluation;
    private final LatestPositions positions;
    private final GuardianFixes guardians;
    private final int groupFixes;
    private final Duration linger;
    private final int capacity;
    private final Duration answerTimeout;
    private final int attempts;
    private final ClusterLog cluster;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int queuedFixes;
    private Thread writer;
    private volatile boolean running;
    private volatile long position;
    /** Until when (System.nanoTime) appends are refused at once: the last group found the database unreachable. */
    private volatile long unreachableUntil;

    private volatile boolean unreachable;

    private final DistributionSummary groupSizes;
    private final Timer commits;
    private final Counter repeats;
    private final boolean copy;

    SightingLog(
            SightingStore store,
            SubjectDirectory directory,
            TransactionOperations<Connection> tx,
            EvaluationInput evaluation,
            LatestPositions positions,
            GuardianFixes guardians,
            @Value("${geoward.ingest.group-fixes:5000}") int groupFixes,
            @Value("${geoward.ingest.group-linger:1ms}") Duration linger,
            @Value("${geoward.ingest.queue-fixes:50000}") int capacity,
            @Value("${geoward.ingest.answer-timeout:30s}") Duration answerTimeout,
            @Value("${geoward.ingest.attempts:3}") int attempts,
            @Value("${geoward.ingest.append:copy}") String append,
            MeterRegistry registry,
            @Nullable ClusterLog cluster) {
        this.store = store;
        this.directory = directory;
        this.tx = tx;
        this.evaluation = evaluation;
        this.positions = positions;
        this.guardians = guardians;
        this.groupFixes = Math.max(1, groupFixes);
        this.linger = linger;
        this.capacity = Math.max(SightingService.MAX_BATCH, capacity);
        this.answerTimeout = answerTimeout;
        this.attempts = Math.max(1, attempts);
        this.cluster = cluster;
        this.copy = switch (append) {
            case "copy" -> true;
            case "insert" -> false;
            default -> throw new SettingsException(
                    "geoward.ingest.append must be copy or insert, not '" + append + "'");
        };
        this.repeats = Counter.builder("geoward.log.copy.repeats")
                .description("groups whose COPY met a fix stored before and were stored again by the deduplicating"
                        + " insert")
                .register(registry);
        this.groupSizes = DistributionSummary.builder("geoward.log.group.fixes")
                .description("fixes per group commit of the sighting log")
                .serviceLevelObjectives(1, 10, 100, 1_000, 5_000)
                .register(registry);
        this.commits = Timer.builder("geoward.log.commit")
                .description("time to store and commit one group of the sighting log")
                .register(registry);
        Gauge.builder("geoward.log.queued.fixes", this, SightingLog::queuedFixes)
                .description("fixes waiting in the ingest queue for their group commit")
                .register(registry);
        Gauge.builder("geoward.log.position", this, SightingLog::position)
                .description("highest log position (sighting seq) this node committed")
                .register(registry);
    }

    /** How many fixes wait in the queue for their commit (0 to {@code geoward.ingest.queue-fixes}). */
    public int queuedFixes() {
        lock.lock();
        try {
            return queuedFixes;
        } finally {
            lock.unlock();
        }
    }

    /** Tells whether this node is a cluster member: its appends go to Kafka, not to {@code sighting}. */
    public boolean isClustered() {
        return cluster != null;
    }

    /** One caller's rows waiting for a commit. */
    private record Pending(
            List<Sighting> rows,
            Map<Long, SubjectInfo> subjects,
            CompletableFuture<Map<SightingStore.Key, Long>> done) {}

    /**
     * Appends {@code rows} (unique by subject and time among themselves) and returns, once they are committed, the
     * log position of each row that was new. Throws a 503 {@link ProblemException} when the queue is full or the
     * evaluation is still replaying the log at start, and the database's failure when the commit failed (nothing of
     * the rows was kept then).
     */
    public Map<SightingStore.Key, Long> append(List<Sighting> rows, Map<Long, SubjectInfo> subjects) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        if (cluster != null) {
            cluster.append(rows, subjects);
            // acknowledged by Kafka; whether a row repeats one stored before is found out by the consuming node
            Map<SightingStore.Key, Long> produced = new HashMap<>(rows.size() * 2);
            rows.forEach(r -> produced.put(new SightingStore.Key(r.subjectId(), r.time()), 0L));
            return produced;
        }
        if (!evaluation.isReady()) {
            throw ProblemException.busy("Geoward is starting (replaying its log): send this again in a moment", 2);
        }
        if (unreachable && System.nanoTime() - unreachableUntil < 0) {
            throw ProblemException.busy(
                    "the database is not reachable right now; nothing of this request was kept: send it again", 1);
        }
        Pending pending = new Pending(rows, subjects, new CompletableFuture<>());
        lock.lock();
        try {
            startIfNeeded();
            if (queuedFixes + rows.size() > capacity) {
                throw ProblemException.busy(
                        "ingest is at capacity (" + queuedFixes + " fixes waiting to be stored): nothing of this"
                                + " request was kept; send it again in a second",
                        1);
            }
            queue.add(pending);
            queuedFixes += rows.size();
            queued.signal();
        } finally {
            lock.unlock();
        }
        try {
            return pending.done().get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw ProblemException.busy(
                    "storing took longer than " + answerTimeout.toSeconds() + " s; it may still be stored: send it"
                            + " again (a fix already stored counts as a duplicate)",
                    1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the commit", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The highest log position committed by this log (0 before its first commit). */
    public long position() {
        return position;
    }

    /**
     * Reads the log after {@code from} and hands it to {@code into} in batches, in log order, moving the latest
     * positions and the guardians' fixes forward as the live path does; returns how many fixes it read. Called once
     * at start, before the log takes appends.
     */
    public long replay(long from, EvaluationInput into) {
        long read = 0;
        long at = from;
        while (true) {
            long after = at;
            List<SightingStore.Row> rows = tx.executeRead(status -> store.readAfter(after, REPLAY_CHUNK));
            if (rows.isEmpty()) {
                return read;
            }
            Set<Long> ids = new HashSet<>();
            rows.forEach(r -> ids.add(r.sighting().subjectId()));
            Map<Long, SubjectInfo> subjects = directory.findAll(ids);
            List<LoggedFix> fixes = new ArrayList<>(rows.size());
            for (SightingStore.Row r : rows) {
                SubjectInfo subject = subjects.get(r.sighting().subjectId());
                if (subject != null) {
                    fixes.add(new LoggedFix(r.seq(), r.sighting(), subject));
                    positions.offer(r.sighting());
                    guardians.offer(r.sighting(), subject.kind());
                }
            }
            at = rows.get(rows.size() - 1).seq();
            into.accept(new LogBatch(at, fixes));
            read += rows.size();
            if (read % (REPLAY_CHUNK * 20L) == 0) {
                LOG.info("replaying the log: {} fixes so far, at position {}", read, at);
            }
        }
    }

    /**
     * Cluster mode: stores fixes consumed from Kafka in {@code sighting} (one transaction, by binary COPY as the
     * single node's log does; a poll that meets a row stored before, as one replayed after a takeover does, is stored
     * again by the deduplicating insert, so a partition consumed twice stores each fix once) and moves the latest
     * positions and the guardians' fixes forward; returns how many rows were new. Throws the database's failure.
     */
    public int storeConsumed(List<Sighting> rows, Map<Long, SubjectInfo> subjects) {
        Map<SightingStore.Key, Sighting> unique = new LinkedHashMap<>();
        for (Sighting s : rows) {
            unique.putIfAbsent(new SightingStore.Key(s.subjectId(), s.time()), s);
        }
        List<Sighting> ordered = new ArrayList<>(unique.values());
        ordered.sort(STORE_ORDER);
        Map<SightingStore.Key, Long> stored = DatabaseFailures.retryingConflicts(
                attempts, "storing " + ordered.size() + " consumed sightings", () -> appendOnce(ordered, subjects));
        for (Sighting s : ordered) {
            SubjectInfo subject = subjects.get(s.subjectId());
            if (subject != null) {
                positions.offer(s);
                guardians.offer(s, subject.kind());
            }
        }
        return stored.size();
    }

    /**
     * Cluster mode: a guardian's fix seen on the topic (any partition, before its owner stores it): it counts for this
     * node's companion checks, and becomes the guardian's latest position here if newer (not written behind).
     */
    public void offerSeenFix(Sighting s, SubjectInfo subject) {
        guardians.offer(s, subject.kind());
        if (s.hasPosition()) {
            positions.seen(s);
        }
    }

    private void startIfNeeded() {
        if (writer == null) {
            position = tx.executeRead(status -> store.lastPosition());
            running = true;
            writer = new Thread(this::run, "sighting-log");
            writer.setDaemon(true);
            writer.start();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        Thread w;
        lock.lock();
        try {
            running = false;
            queued.signalAll();
            w = writer;
        } finally {
            lock.unlock();
        }
        if (w != null) {
            w.join(10_000);
        }
    }

    private void run() {
        while (true) {
            List<Pending> group = nextGroup();
            if (group == null) {
                return;
            }
            try {
                commit(group);
            } catch (RuntimeException e) {
                LOG.error("the sighting log failed a group of {} requests", group.size(), e);
                group.forEach(p -> p.done().completeExceptionally(e));
            }
        }
    }

    /** Waits for the first request, lingers for more, and takes up to {@code groupFixes}; null once stopped. */
    private List<Pending> nextGroup() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (!running) {
                    return null;
                }
                queued.awaitUninterruptibly();
            }
            if (!linger.isZero() && queuedFixes < groupFixes) {
                long nanos = linger.toNanos();
                while (nanos > 0 && queuedFixes < groupFixes && running) {
                    try {
                        nanos = queued.awaitNanos(nanos);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            List<Pending> group = new ArrayList<>();
            int fixes = 0;
            while (!queue.isEmpty()
                    && (group.isEmpty() || fixes + queue.peek().rows().size() <= groupFixes)) {
                Pending p = queue.poll();
                fixes += p.rows().size();
                group.add(p);
            }
            queuedFixes -= fixes;
            return group;
        } finally {
            lock.unlock();
        }
    }

    /** Takes everything queued, as when the database is found unreachable. */
    private List<Pending> drainQueue() {
        lock.lock();
        try {
            List<Pending> all = new ArrayList<>(queue);
            queue.clear();
            queuedFixes = 0;
            return all;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stores a group in one transaction and answers its callers. When the group fails for a reason other than the
     * database being unreachable (one request's rows refused), each request is tried alone, so one caller's bad
     * rows do not cost the others theirs.
     */
    private void commit(List<Pending> group) {
        try {
            store(group);
        } catch (RuntimeException e) {
            if (DatabaseFailures.isTransient(e)) {
                // what waits behind this group would wait a connection timeout each to fail the same way: fail it
                // now, and refuse appends at once for a second, after which the next group tries again
                unreachableUntil = System.nanoTime() + UNREACHABLE_PAUSE.toNanos();
                unreachable = true;
                group.forEach(p -> p.done().completeExceptionally(e));
                drainQueue().forEach(p -> p.done().completeExceptionally(e));
                return;
            }
            if (group.size() == 1) {
                group.forEach(p -> p.done().completeExceptionally(e));
                return;
            }
            LOG.warn("a group of {} requests failed ({}); storing them one by one", group.size(), e.toString());
            for (Pending p : group) {
                try {
                    store(List.of(p));
                } catch (RuntimeException each) {
                    p.done().completeExceptionally(each);
                }
            }
        }
    }

    private void store(List<Pending> group) {
        Map<SightingStore.Key, Sighting> rows = new LinkedHashMap<>();
        Map<Long, SubjectInfo> subjects = new HashMap<>();
        int given = 0;
        for (Pending p : group) {
            given += p.rows().size();
            for (Sighting s : p.rows()) {
                rows.putIfAbsent(new SightingStore.Key(s.subjectId(), s.time()), s);
            }
            subjects.putAll(p.subjects());
        }
        List<Sighting> ordered = new ArrayList<>(rows.values());
        ordered.sort(STORE_ORDER);
        long began = System.nanoTime();
        Map<SightingStore.Key, Long> stored = DatabaseFailures.retryingConflicts(
                attempts, "storing " + ordered.size() + " sightings", () -> appendOnce(ordered, subjects));
        commits.record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
        groupSizes.record(ordered.size());
        // committed: from here on every row of the group survives a crash
        unreachable = false;
        List<LoggedFix> fresh = new ArrayList<>(stored.size());
        long last = position;
        for (Sighting s : ordered) {
            Long seq = stored.get(new SightingStore.Key(s.subjectId(), s.time()));
            if (seq != null) {
                fresh.add(new LoggedFix(seq, s, subjects.get(s.subjectId())));
                last = Math.max(last, seq);
            }
        }
        fresh.sort(Comparator.comparingLong(LoggedFix::seq));
        position = last;
        answer(group, stored, rows.size() < given);
        for (LoggedFix f : fresh) {
            positions.offer(f.sighting());
            guardians.offer(f.sighting(), f.subject().kind());
        }
        evaluation.accept(new LogBatch(last, fresh));
    }

    /**
     * Stores {@code ordered} in one transaction: by binary COPY when {@code geoward.ingest.append} is {@code copy}
     * (the default) and every row's subject is known, else, or when the COPY met a row stored before (a repeat: the
     * COPY's transaction is rolled back), by the deduplicating insert. Returns the positions of the new rows.
     */
    private Map<SightingStore.Key, Long> appendOnce(List<Sighting> ordered, Map<Long, SubjectInfo> subjects) {
        if (copy) {
            Map<Long, String> kinds = new HashMap<>();
            boolean known = true;
            for (Sighting s : ordered) {
                SubjectInfo subject = subjects.get(s.subjectId());
                known &= subject != null && s.hasPosition();
                if (subject != null) {
                    kinds.put(s.subjectId(), subject.kind().name());
                }
            }
            if (known) {
                try {
                    return tx.executeWrite(status -> store.copy(ordered, kinds));
                } catch (RuntimeException e) {
                    if (!DatabaseFailures.isUniqueViolation(e)) {
                        throw e;
                    }
                    repeats.increment();
                }
            }
        }
        return tx.executeWrite(status -> store.append(ordered));
    }

    /**
     * Completes each caller with the positions of its own rows that this commit stored; {@code overlapping} when two
     * requests of the group carried the same row.
     */
    private static void answer(List<Pending> group, Map<SightingStore.Key, Long> stored, boolean overlapping) {
        if (group.size() == 1) {
            group.get(0).done().complete(stored); // the group's rows are the caller's
            return;
        }
        Map<SightingStore.Key, Boolean> claimed = overlapping ? new HashMap<>() : null;
        for (Pending p : group) {
            Map<SightingStore.Key, Long> mine = new HashMap<>(p.rows().size() * 2);
            for (Sighting s : p.rows()) {
                SightingStore.Key key = new SightingStore.Key(s.subjectId(), s.time());
                Long seq = stored.get(key);
                // a row two requests of one group both carried is new for the first only
                if (seq != null && (claimed == null || claimed.putIfAbsent(key, Boolean.TRUE) == null)) {
                    mine.put(key, seq);
                }
            }
            p.done().complete(mine);
        }
    }
}
