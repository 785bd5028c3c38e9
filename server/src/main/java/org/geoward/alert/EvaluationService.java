package org.geoward.alert;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.geoward.evaluate.Evaluator;
import org.geoward.evaluate.FenceIndex;
import org.geoward.evaluate.Fix;
import org.geoward.evaluate.SubjectState;
import org.geoward.evaluate.Transition;
import org.geoward.fence.FenceCatalog;
import org.geoward.sighting.FixConsumer;
import org.geoward.sighting.Sighting;
import org.geoward.sighting.SubjectMoved;
import org.geoward.subject.SubjectInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process evaluation: runs stored sightings through the {@link Evaluator} and writes what it decides.
 *
 * <p>Per batch, a constant number of statements whatever its size: lock and load the {@code subject_state} of every
 * subject in the batch ({@link StateStore#lockAndLoadAll}, ascending subject id), evaluate each subject's new fixes in
 * event-time order in memory, open / resolve alerts (rare: one statement each), move every subject's unresolved
 * alerts to its newest fix ({@link AlertWriter#followAll}), save all states ({@link StateStore#saveAll}), append the
 * timeline steps. {@link #acceptWithin} does this inside the ingest's own transaction, the one that stored the
 * sightings, under a savepoint; {@link #accept} (the catch-up) in a transaction of its own. After the commit, the
 * returned announcement publishes {@link AlertChanged} and {@link SubjectMoved}. A crash before the commit loses
 * nothing decided; an error rolls the evaluation back to its savepoint (the sightings stay stored, the state and the
 * alerts it caused commit together or not at all), then the batch's subjects are evaluated one by one so that one
 * subject's failure does not cost the others their alerts.
 *
 * <p>Threading: synchronous, on the caller's thread (the caller's HTTP 202 waits for it, which is the back-pressure).
 * The batch takes the {@link SubjectLocks} stripes of all its subjects, in ascending order, and locks their state
 * rows, so a subject's fixes are evaluated by one batch at a time and the OFFLINE check or a dispatcher's resolve
 * never interleaves with them; the stripes are let go when the evaluation ends, the row locks when the caller's
 * transaction does. Nothing waits for a stripe while holding a row lock that a stripe holder could need (the
 * ingest's own rows are sightings and latest positions, which the evaluation only reads), so the two kinds of lock
 * cannot deadlock. Thread-safe.
 */
@Singleton
public class EvaluationService implements FixConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluationService.class);

    private final Evaluator evaluator = new Evaluator();
    private final FenceCatalog fences;
    private final TransactionOperations<Connection> tx;
    private final JdbcOperations jdbc;
    private final StateStore states;
    private final AlertWriter writer;
    private final AlertEvents events;
    private final SubjectLocks locks;
    private final ApplicationEventPublisher<AlertChanged> publisher;
    private final ApplicationEventPublisher<SubjectMoved> movements;

    EvaluationService(
            FenceCatalog fences,
            TransactionOperations<Connection> tx,
            JdbcOperations jdbc,
            StateStore states,
            AlertWriter writer,
            AlertEvents events,
            SubjectLocks locks,
            ApplicationEventPublisher<AlertChanged> publisher,
            ApplicationEventPublisher<SubjectMoved> movements) {
        this.fences = fences;
        this.tx = tx;
        this.jdbc = jdbc;
        this.states = states;
        this.writer = writer;
        this.events = events;
        this.locks = locks;
        this.publisher = publisher;
        this.movements = movements;
    }

    @Override
    public void accept(List<Sighting> sightings, Map<Long, SubjectInfo> subjects) {
        tx.executeWrite(status -> acceptWithin(sightings, subjects)).run();
    }

    @Override
    public Runnable acceptWithin(List<Sighting> sightings, Map<Long, SubjectInfo> subjects) {
        Map<Long, List<Sighting>> bySubject = new TreeMap<>();
        for (Sighting s : sightings) {
            bySubject.computeIfAbsent(s.subjectId(), k -> new ArrayList<>()).add(s);
        }
        bySubject.keySet().retainAll(subjects.keySet());
        if (bySubject.isEmpty()) {
            return () -> {};
        }
        FenceIndex index = fences.index();
        Connection connection = tx.getConnection();
        List<AlertChanged> changed;
        try {
            changed = locks.withLocks(
                    bySubject.keySet(), () -> underSavepoint(connection, () -> evaluate(bySubject, subjects, index)));
        } catch (RuntimeException e) {
            if (bySubject.size() == 1) {
                LOG.error(
                        "evaluating {} fixes of subject {} failed; they stay stored",
                        sightings.size(),
                        bySubject.keySet(),
                        e);
                return () -> {};
            }
            // one subject's failure must not cost the others their alerts: evaluate each on its own
            LOG.warn(
                    "evaluating a batch of {} subjects failed ({}); evaluating them one by one",
                    bySubject.size(),
                    e.toString());
            changed = new ArrayList<>();
            for (Map.Entry<Long, List<Sighting>> one : bySubject.entrySet()) {
                Map<Long, List<Sighting>> single = new TreeMap<>(Map.of(one.getKey(), one.getValue()));
                try {
                    changed.addAll(locks.withLocks(
                            single.keySet(),
                            () -> underSavepoint(connection, () -> evaluate(single, subjects, index))));
                } catch (RuntimeException each) {
                    LOG.error(
                            "evaluating {} fixes of subject {} failed; they stay stored",
                            one.getValue().size(),
                            one.getKey(),
                            each);
                }
            }
        }
        List<AlertChanged> announced = changed;
        return () -> {
            announced.forEach(publisher::publishEvent);
            bySubject.forEach((id, fixes) -> {
                SubjectInfo subject = subjects.get(id);
                Sighting newest =
                        fixes.stream().max(Comparator.comparing(Sighting::time)).orElseThrow();
                movements.publishEvent(
                        new SubjectMoved(subject.id(), subject.kind(), newest.lon(), newest.lat(), newest.time()));
            });
        };
    }

    /**
     * Runs {@code work} under a savepoint of the open transaction: if it throws, the transaction is rolled back to
     * where it was before (the caller's stored sightings stay) and the exception goes on.
     */
    private static <T> T underSavepoint(Connection connection, Supplier<T> work) {
        Savepoint savepoint;
        try {
            savepoint = connection.setSavepoint();
        } catch (SQLException e) {
            throw new DataAccessException("could not set a savepoint before the evaluation", e);
        }
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            try {
                connection.rollback(savepoint);
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        try {
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw new DataAccessException("could not release the evaluation's savepoint", e);
        }
        return result;
    }

    /** Evaluates the batch in the open transaction; returns the alert changes to announce once it commits. */
    private List<AlertChanged> evaluate(
            Map<Long, List<Sighting>> bySubject, Map<Long, SubjectInfo> subjects, FenceIndex index) {
        Map<Long, SubjectState> loaded = states.lockAndLoadAll(bySubject.keySet());
        PositionGuardians guardians = new PositionGuardians(jdbc);
        List<Long> guardianIds = new ArrayList<>();
        for (Long id : bySubject.keySet()) {
            if (subjects.get(id).guardianIds() != null) {
                guardianIds.addAll(subjects.get(id).guardianIds());
            }
        }
        guardians.preload(guardianIds);
        List<AlertStep> steps = new ArrayList<>();
        List<AlertWriter.Follow> follows = new ArrayList<>(bySubject.size());
        bySubject.forEach((id, fixes) -> {
            SubjectInfo subject = subjects.get(id);
            SubjectState state = loaded.get(id);
            if (state == null) {
                throw new IllegalStateException("no subject_state row for subject " + id);
            }
            List<Sighting> ordered = new ArrayList<>(fixes);
            ordered.sort(Comparator.comparing(Sighting::time));
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
                follows.add(
                        new AlertWriter.Follow(id, newest.time(), newest.lon(), newest.lat(), newest.evidenceUrl()));
            }
        });
        writer.followAll(follows);
        states.saveAll(loaded);
        return events.append(steps);
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
}
