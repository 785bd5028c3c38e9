package org.geoward.sighting;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.geoward.problem.DatabaseFailures;
import org.geoward.problem.ProblemException;
import org.geoward.subject.DeviceBinding;
import org.geoward.subject.SubjectDirectory;
import org.geoward.subject.SubjectInfo;

/**
 * Records batches of sightings: checks each item on its own, resolves who was seen (subject id, registered device or
 * camera track → VISITOR), drops repeats, stores the batch in one statement, hands the new sightings to the
 * {@link FixConsumer} in the same transaction and commits once: the sightings, the evaluator state and the alerts
 * commit together (one WAL flush per batch). A failed evaluation is rolled back alone and the sightings still commit
 * ({@code EvaluationCatchUp} evaluates them later). A batch the database rolls back for a deadlock or a serialization
 * failure is run again, up to {@code geoward.ingest.attempts} times in all (default 3).
 *
 * <p>Evaluation is synchronous: {@link #record} returns (and the HTTP 202 goes out) only after the batch is stored
 * and its alerts are committed. That gives back-pressure to the senders for free and lets a client that got its 202
 * read the alerts it caused. Thread-safe.
 */
@Singleton
public class SightingService {
    /** The most sightings one call may carry. */
    public static final int MAX_BATCH = 10_000;

    /**
     * The order rows are stored in: two batches that carry some of the same (subject, time) keys then insert them in
     * the same order, so one waits for the other instead of both deadlocking on the unique index.
     */
    private static final Comparator<Sighting> STORE_ORDER =
            Comparator.comparingLong(Sighting::subjectId).thenComparing(Sighting::time);

    private final SubjectDirectory directory;
    private final SightingStore store;
    private final FixConsumer evaluation;
    private final TransactionOperations<Connection> tx;
    private final int attempts;

    SightingService(
            SubjectDirectory directory,
            SightingStore store,
            FixConsumer evaluation,
            TransactionOperations<Connection> tx,
            @Value("${geoward.ingest.attempts:3}") int attempts) {
        this.directory = directory;
        this.store = store;
        this.evaluation = evaluation;
        this.tx = tx;
        this.attempts = Math.max(1, attempts);
    }

    /**
     * Validates, stores and evaluates {@code inputs}; rejections name the index in {@code inputs}. Throws a 413
     * {@link ProblemException} for more than {@link #MAX_BATCH} items.
     */
    public RecordResult record(List<SightingInput> inputs) {
        return record(inputs, Map.of());
    }

    /** As {@link #record(List)}, with items already refused while reading (their entries in inputs are ignored). */
    RecordResult record(List<SightingInput> inputs, Map<Integer, String> refused) {
        if (inputs.size() > MAX_BATCH) {
            throw new ProblemException(
                    HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                    "a batch holds at most " + MAX_BATCH + " sightings; this one has " + inputs.size() + ": split it");
        }
        Map<Integer, String> rejected = new TreeMap<>(refused);
        Instant now = Instant.now();
        for (int i = 0; i < inputs.size(); i++) {
            if (!rejected.containsKey(i)) {
                String error = SightingRules.check(inputs.get(i), now);
                if (error != null) {
                    rejected.put(i, error);
                }
            }
        }
        Map<Long, SubjectInfo> subjects = new HashMap<>();
        List<Sighting> resolved = resolve(inputs, rejected, subjects);
        Map<SightingStore.Key, Sighting> unique = new LinkedHashMap<>();
        for (Sighting s : resolved) {
            unique.putIfAbsent(new SightingStore.Key(s.subjectId(), s.time()), s);
        }
        List<Sighting> rows = new ArrayList<>(unique.values());
        rows.sort(STORE_ORDER);
        Stored stored = DatabaseFailures.retryingConflicts(
                attempts,
                "storing " + rows.size() + " sightings",
                () -> tx.executeWrite(status -> {
                    List<Sighting> fresh = store.store(rows);
                    if (fresh.isEmpty()) {
                        return new Stored(fresh, () -> {});
                    }
                    List<Sighting> ordered = new ArrayList<>(fresh);
                    ordered.sort(Comparator.comparing(Sighting::time));
                    return new Stored(fresh, evaluation.acceptWithin(ordered, subjects));
                }));
        stored.announce().run();
        List<Sighting> fresh = stored.fresh();
        List<RecordResult.Rejection> list = new ArrayList<>(rejected.size());
        rejected.forEach((index, error) -> list.add(new RecordResult.Rejection(index, error)));
        return new RecordResult(fresh.size(), resolved.size() - fresh.size(), list);
    }

    /**
     * Turns the valid inputs into sightings of known subjects; the unknown ones go to {@code rejected}, and every
     * subject the sightings name to {@code subjects}.
     */
    private List<Sighting> resolve(
            List<SightingInput> inputs, Map<Integer, String> rejected, Map<Long, SubjectInfo> subjects) {
        Set<Long> subjectIds = new LinkedHashSet<>();
        Set<String> deviceIds = new LinkedHashSet<>();
        Set<String> trackIds = new LinkedHashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (!rejected.containsKey(i)) {
                SightingInput in = inputs.get(i);
                if (in.subjectId() != null) {
                    subjectIds.add(in.subjectId());
                } else if (!SightingRules.isBlank(in.deviceId())) {
                    deviceIds.add(in.deviceId().trim());
                } else {
                    trackIds.add(in.trackId().trim());
                }
            }
        }
        subjects.putAll(directory.findAll(subjectIds));
        Map<String, Optional<DeviceBinding>> devices = new HashMap<>();
        deviceIds.forEach(d -> devices.put(d, directory.deviceByUniqueId(d)));
        Map<String, Long> visitors = new HashMap<>();
        trackIds.forEach(t -> visitors.put(t, directory.visitorForTrack(t)));

        List<Sighting> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            if (rejected.containsKey(i)) {
                continue;
            }
            SightingInput in = inputs.get(i);
            Long subjectId;
            Long deviceRow = null;
            if (in.subjectId() != null) {
                subjectId = subjects.containsKey(in.subjectId()) ? in.subjectId() : null;
                if (subjectId == null) {
                    rejected.put(i, "subject " + in.subjectId() + " does not exist");
                    continue;
                }
            } else if (!SightingRules.isBlank(in.deviceId())) {
                Optional<DeviceBinding> device = devices.get(in.deviceId().trim());
                if (device.isEmpty()) {
                    rejected.put(i, "device " + in.deviceId().trim() + " is not registered");
                    continue;
                }
                subjectId = device.get().subjectId();
                deviceRow = device.get().id();
            } else {
                subjectId = visitors.get(in.trackId().trim());
            }
            out.add(sighting(in, subjectId, deviceRow));
        }
        // devices and camera tracks name subjects the lookup above did not read; the transaction is skipped when none
        Set<Long> others = out.stream()
                .map(Sighting::subjectId)
                .filter(id -> !subjects.containsKey(id))
                .collect(Collectors.toSet());
        if (!others.isEmpty()) {
            subjects.putAll(directory.findAll(others));
        }
        return out;
    }

    /** The sightings a batch newly stored, and what announces their evaluation once the batch has committed. */
    private record Stored(List<Sighting> fresh, Runnable announce) {}

    private static Sighting sighting(SightingInput in, long subjectId, Long deviceRow) {
        return new Sighting(
                subjectId,
                in.time().truncatedTo(ChronoUnit.MICROS),
                in.lon(),
                in.lat(),
                in.accuracy(),
                in.source(),
                in.speed(),
                in.heading(),
                in.battery(),
                in.companions(),
                in.sos(),
                in.phone(),
                in.evidenceUrl(),
                deviceRow);
    }
}
