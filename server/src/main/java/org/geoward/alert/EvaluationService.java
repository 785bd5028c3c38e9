package org.geoward.alert;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.geoward.evaluate.Evaluator;
import org.geoward.evaluate.FenceIndex;
import org.geoward.evaluate.Fix;
import org.geoward.evaluate.SubjectState;
import org.geoward.evaluate.Transition;
import org.geoward.fence.FenceCatalog;
import org.geoward.sighting.FixConsumer;
import org.geoward.sighting.Sighting;
import org.geoward.sighting.SubjectMoved;
import org.geoward.subject.SubjectDirectory;
import org.geoward.subject.SubjectInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process evaluation: runs stored sightings through the {@link Evaluator} and writes what it decides.
 *
 * <p>Per subject, in one transaction: lock and load {@code subject_state}, evaluate the subject's new fixes in
 * event-time order, open / resolve alerts, move its unresolved alerts to the newest fix, save the state, append the
 * timeline steps; after the commit publish {@link AlertChanged}. A crash before the commit loses nothing decided: the
 * state and the alerts it caused commit together.
 *
 * <p>Threading: {@link #accept} is synchronous (the caller's HTTP 202 waits for it, which is the back-pressure).
 * A batch with one subject runs on the calling thread; a batch with several fans out, one task per subject, to a
 * fixed pool ({@code geoward.evaluate.threads}, default the number of cores) and waits for all. A subject is only
 * ever worked on under its {@link SubjectLocks} stripe and its locked state row, so its fixes are evaluated by one
 * worker at a time and the OFFLINE check or a dispatcher's resolve never interleaves with them. Thread-safe.
 */
@Singleton
public class EvaluationService implements FixConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluationService.class);

    private final Evaluator evaluator = new Evaluator();
    private final FenceCatalog fences;
    private final SubjectDirectory directory;
    private final TransactionOperations<Connection> tx;
    private final JdbcOperations jdbc;
    private final StateStore states;
    private final AlertWriter writer;
    private final AlertEvents events;
    private final SubjectLocks locks;
    private final ApplicationEventPublisher<AlertChanged> publisher;
    private final ApplicationEventPublisher<SubjectMoved> movements;
    private final ExecutorService pool;

    EvaluationService(
            FenceCatalog fences,
            SubjectDirectory directory,
            TransactionOperations<Connection> tx,
            JdbcOperations jdbc,
            StateStore states,
            AlertWriter writer,
            AlertEvents events,
            SubjectLocks locks,
            ApplicationEventPublisher<AlertChanged> publisher,
            ApplicationEventPublisher<SubjectMoved> movements,
            @Value("${geoward.evaluate.threads:0}") int threads) {
        this.fences = fences;
        this.directory = directory;
        this.tx = tx;
        this.jdbc = jdbc;
        this.states = states;
        this.writer = writer;
        this.events = events;
        this.locks = locks;
        this.publisher = publisher;
        this.movements = movements;
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "evaluate-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void accept(List<Sighting> sightings) {
        Map<Long, List<Sighting>> bySubject = new LinkedHashMap<>();
        for (Sighting s : sightings) {
            bySubject.computeIfAbsent(s.subjectId(), k -> new ArrayList<>()).add(s);
        }
        Map<Long, SubjectInfo> subjects = directory.findAll(bySubject.keySet());
        FenceIndex index = fences.index();
        if (bySubject.size() == 1) {
            bySubject.forEach((id, fixes) -> evaluateSafely(subjects.get(id), fixes, index));
            return;
        }
        List<CompletableFuture<Void>> tasks = new ArrayList<>(bySubject.size());
        bySubject.forEach((id, fixes) ->
                tasks.add(CompletableFuture.runAsync(() -> evaluateSafely(subjects.get(id), fixes, index), pool)));
        CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).join();
    }

    private void evaluateSafely(SubjectInfo subject, List<Sighting> fixes, FenceIndex index) {
        if (subject == null) {
            return;
        }
        try {
            List<AlertChanged> changed = locks.withLock(subject.id(), () -> evaluate(subject, fixes, index));
            changed.forEach(publisher::publishEvent);
            Sighting newest =
                    fixes.stream().max(Comparator.comparing(Sighting::time)).orElseThrow();
            movements.publishEvent(
                    new SubjectMoved(subject.id(), subject.kind(), newest.lon(), newest.lat(), newest.time()));
        } catch (RuntimeException e) {
            LOG.error("evaluating {} fixes of subject {} failed; they stay stored", fixes.size(), subject.id(), e);
        }
    }

    private List<AlertChanged> evaluate(SubjectInfo subject, List<Sighting> fixes, FenceIndex index) {
        List<Sighting> ordered = new ArrayList<>(fixes);
        ordered.sort(Comparator.comparing(Sighting::time));
        return tx.executeWrite(status -> {
            SubjectState state = states.lockAndLoad(subject.id());
            PositionGuardians guardians = new PositionGuardians(jdbc);
            List<AlertStep> steps = new ArrayList<>();
            Sighting newest = null;
            for (Sighting s : ordered) {
                Evaluator.Result r =
                        evaluator.evaluate(fix(s, subject), state, index, subject.guardianIds(), guardians);
                if (!r.outOfOrder() && !r.duplicate()) {
                    newest = s;
                }
                for (Transition t : r.transitions()) {
                    writer.apply(t, s.time(), s.evidenceUrl()).ifPresent(steps::add);
                }
            }
            if (newest != null) {
                writer.follow(subject.id(), newest.time(), newest.lon(), newest.lat(), newest.evidenceUrl());
            }
            states.save(subject.id(), state);
            return events.append(steps);
        });
    }

    /**
     * Opens OFFLINE for a subject silent for {@code offlineMinutes} at wall-clock time {@code now}, under the
     * subject's lock and in one transaction with its state; returns whether an alert opened.
     */
    boolean checkOffline(long subjectId, int offlineMinutes, Instant now) {
        List<AlertChanged> changed = locks.withLock(
                subjectId,
                () -> tx.executeWrite(status -> {
                    SubjectState state = states.lockAndLoad(subjectId);
                    List<AlertStep> steps = new ArrayList<>();
                    for (Transition t : evaluator.checkOffline(subjectId, state, now, offlineMinutes)) {
                        writer.apply(t, state.lastFixTime(), null).ifPresent(steps::add);
                    }
                    states.save(subjectId, state);
                    return events.append(steps);
                }));
        changed.forEach(publisher::publishEvent);
        return !changed.isEmpty();
    }

    private static Fix fix(Sighting s, SubjectInfo subject) {
        return new Fix(
                s.subjectId(),
                subject.kind(),
                s.time(),
                s.lon(),
                s.lat(),
                s.accuracy() == null ? 0 : s.accuracy(),
                s.sos(),
                new java.util.HashSet<>(s.companions()));
    }

    @PreDestroy
    void close() {
        pool.shutdown();
    }
}
