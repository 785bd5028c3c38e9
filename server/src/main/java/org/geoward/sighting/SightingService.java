package org.geoward.sighting;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.geoward.problem.ProblemException;
import org.geoward.subject.DeviceBinding;
import org.geoward.subject.SubjectDirectory;
import org.geoward.subject.SubjectInfo;

/**
 * The ingest pipeline, every source's one way in (JSON API, OsmAnd, OwnTracks, GT06, GPX/CSV import, the demo). Its
 * steps, in order:
 *
 * <ol>
 *   <li><b>check</b> each item on its own ({@link SightingRules}): a bad one is rejected with its index and reason,
 *       the good ones go on;
 *   <li><b>resolve</b> who was seen: subject id, registered device, or camera track (a VISITOR made on the fly);
 *   <li><b>drop repeats</b> within the request (same subject and event time);
 *   <li><b>append</b> to the log ({@link SightingLog}: group commit with other requests, duplicates of stored rows
 *       skipped) and <b>acknowledge</b> once the commit holding them is done: the 202 means stored;
 *   <li><b>evaluate</b> (after the commit, off the request thread: the {@link EvaluationInput}'s partitions) and
 *       <b>announce</b> (alert changes to SSE, movements to dispatch): the alerts follow the 202 within a fraction of
 *       a second.
 * </ol>
 *
 * With {@code geoward.ingest.wait-for-evaluation} (default false) the answer waits, in addition, until the evaluation
 * has written what the fixes caused: the synchronous behaviour of before, for the test suite and for a deployment
 * whose clients read their alerts right after posting. Thread-safe.
 */
@Singleton
public class SightingService {
    /** The most sightings one call may carry. */
    public static final int MAX_BATCH = 10_000;

    private final SubjectDirectory directory;
    private final SightingLog log;
    private final EvaluationInput evaluation;
    private final boolean waitForEvaluation;

    SightingService(
            SubjectDirectory directory,
            SightingLog log,
            EvaluationInput evaluation,
            @Value("${geoward.ingest.wait-for-evaluation:false}") boolean waitForEvaluation) {
        this.directory = directory;
        this.log = log;
        this.evaluation = evaluation;
        this.waitForEvaluation = waitForEvaluation;
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
        Map<SightingStore.Key, Long> appended = log.append(new ArrayList<>(unique.values()), subjects);
        int fresh = appended.size();
        if (waitForEvaluation && fresh > 0 && !log.isClustered()) {
            long position =
                    appended.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            evaluation.awaitEvaluated(position, Duration.ofSeconds(30));
        }
        List<RecordResult.Rejection> list = new ArrayList<>(rejected.size());
        rejected.forEach((index, error) -> list.add(new RecordResult.Rejection(index, error)));
        return new RecordResult(fresh, resolved.size() - fresh, list);
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
