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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.geoward.clock.SteadyClock;
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
    private final IngestMeters meters;
    private final boolean consentRequired;
    private final SteadyClock clock;

    SightingService(
            SubjectDirectory directory,
            SightingLog log,
            EvaluationInput evaluation,
            IngestMeters meters,
            @Value("${geoward.ingest.wait-for-evaluation:false}") boolean waitForEvaluation,
            @Value("${geoward.privacy.require-consent:true}") boolean consentRequired,
            SteadyClock clock) {
        this.clock = clock;
        this.meters = meters;
        this.directory = directory;
        this.log = log;
        this.evaluation = evaluation;
        this.waitForEvaluation = waitForEvaluation;
        this.consentRequired = consentRequired;
    }

    /**
     * Validates, stores and evaluates {@code inputs}; rejections name the index in {@code inputs}. Throws a 413
     * {@link ProblemException} for more than {@link #MAX_BATCH} items.
     */
    public RecordResult record(List<Sighting> inputs) {
        return record(inputs, Map.of());
    }

    /** As {@link #record(List)}, with items already refused while reading (their entries in inputs are ignored). */
    RecordResult record(List<Sighting> inputs, Map<Integer, String> refused) {
        if (inputs.size() > MAX_BATCH) {
            throw new ProblemException(
                    HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                    "a batch holds at most " + MAX_BATCH + " sightings; this one has " + inputs.size() + ": split it");
        }
        Map<Integer, String> rejected = new TreeMap<>(refused);
        // the later of the wall and the steady clock: a fix on time is not refused after the system clock went back
        Instant now = clock.latest();
        for (int i = 0; i < inputs.size(); i++) {
            if (!rejected.containsKey(i)) {
                String error = SightingRules.check(inputs.get(i), now);
                if (error != null) {
                    rejected.put(i, error);
                }
            }
        }
        Map<Long, SubjectInfo> subjects = new HashMap<>();
        List<Sighting> resolved = refuseUntrackable(resolve(inputs, rejected, subjects), inputs, rejected, subjects);
        Map<SightingStore.Key, Sighting> unique = new LinkedHashMap<>();
        for (Sighting s : resolved) {
            unique.putIfAbsent(new SightingStore.Key(s.subjectId(), s.time()), s);
        }
        countReceived(inputs);
        Map<SightingStore.Key, Long> appended;
        try {
            appended = log.append(new ArrayList<>(unique.values()), subjects);
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
                meters.busy();
            }
            throw e;
        }
        countOutcomes(inputs, rejected, resolved, appended);
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

    private void countReceived(List<Sighting> inputs) {
        Map<Source, Integer> bySource = new HashMap<>();
        inputs.forEach(in -> bySource.merge(sourceOf(in), 1, Integer::sum));
        bySource.forEach((source, n) -> meters.count(IngestMeters.Outcome.RECEIVED, source, n));
    }

    /** The item's source for the meters; GPS when it names none or could not be read at all (a null entry). */
    private static Source sourceOf(Sighting in) {
        return in == null || in.source() == null ? Source.GPS : in.source();
    }

    private void countOutcomes(
            List<Sighting> inputs,
            Map<Integer, String> rejected,
            List<Sighting> resolved,
            Map<SightingStore.Key, Long> appended) {
        Map<Source, Integer> refused = new HashMap<>();
        rejected.keySet().forEach(i -> refused.merge(sourceOf(inputs.get(i)), 1, Integer::sum));
        refused.forEach((source, n) -> meters.count(IngestMeters.Outcome.REJECTED, source, n));
        Map<Source, Integer> stored = new HashMap<>();
        Map<Source, Integer> repeated = new HashMap<>();
        if (appended.size() == resolved.size()) {
            // every resolved fix was new (and so none repeated another): no key per fix to look up
            resolved.forEach(s -> stored.merge(s.source(), 1, Integer::sum));
            stored.forEach((source, n) -> meters.count(IngestMeters.Outcome.STORED, source, n));
            return;
        }
        Set<SightingStore.Key> counted = new java.util.HashSet<>();
        for (Sighting s : resolved) {
            SightingStore.Key key = new SightingStore.Key(s.subjectId(), s.time());
            boolean isNew = appended.containsKey(key) && counted.add(key);
            (isNew ? stored : repeated).merge(s.source(), 1, Integer::sum);
        }
        stored.forEach((source, n) -> meters.count(IngestMeters.Outcome.STORED, source, n));
        repeated.forEach((source, n) -> meters.count(IngestMeters.Outcome.DUPLICATE, source, n));
    }

    /**
     * Turns the valid inputs into sightings of known subjects; the unknown ones go to {@code rejected}, and every
     * subject the sightings name to {@code subjects}.
     */
    private List<Sighting> resolve(
            List<Sighting> inputs, Map<Integer, String> rejected, Map<Long, SubjectInfo> subjects) {
        Set<Long> subjectIds = new LinkedHashSet<>();
        Set<String> deviceIds = new LinkedHashSet<>();
        Set<String> trackIds = new LinkedHashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (!rejected.containsKey(i)) {
                Sighting in = inputs.get(i);
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
            Sighting in = inputs.get(i);
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

    private static final String NO_CONSENT = " has no guardian's consent to tracking on record";
    private static final String ERASED = " was erased at a person's request";

    /**
     * Drops the sightings of wards without consent on record (unless {@code geoward.privacy.require-consent} is off)
     * and of erased subjects, each with its reason under its index in {@code rejected}.
     */
    private List<Sighting> refuseUntrackable(
            List<Sighting> resolved,
            List<Sighting> inputs,
            Map<Integer, String> rejected,
            Map<Long, SubjectInfo> subjects) {
        if (resolved.stream().allMatch(s -> isTrackable(subjects.get(s.subjectId())))) {
            return resolved;
        }
        List<Sighting> kept = new ArrayList<>(resolved.size());
        int next = 0;
        for (int i = 0; i < inputs.size() && next < resolved.size(); i++) {
            if (rejected.containsKey(i)) {
                continue;
            }
            Sighting s = resolved.get(next++);
            SubjectInfo info = subjects.get(s.subjectId());
            if (isTrackable(info)) {
                kept.add(s);
            } else if (info.erased()) {
                rejected.put(i, "subject " + info.id() + ERASED + ": its fixes are no longer taken");
            } else {
                rejected.put(
                        i,
                        "ward " + info.id() + NO_CONSENT + ": record it with POST /api/subjects/" + info.id()
                                + "/consent before sending fixes");
            }
        }
        return kept;
    }

    private boolean isTrackable(SubjectInfo info) {
        return info == null || info.isTrackable(consentRequired);
    }

    /** Whether a rejection says the subject may not be tracked (no consent on record, or erased). */
    static boolean isPrivacyRefusal(String reason) {
        return reason.contains(NO_CONSENT) || reason.contains(ERASED);
    }

    private static Sighting sighting(Sighting in, long subjectId, Long deviceRow) {
        if (in.subjectId() != null
                && in.subjectId() == subjectId
                && Objects.equals(in.deviceRow(), deviceRow)
                && in.time().getNano() % 1_000 == 0) {
            return in; // nothing to change (a JSON fix named by its subject, on the microsecond): no copy per fix
        }
        return in.toBuilder()
                .subject(subjectId)
                .deviceRow(deviceRow)
                .time(in.time().truncatedTo(ChronoUnit.MICROS))
                .build();
    }
}
