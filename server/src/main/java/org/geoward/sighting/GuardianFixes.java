package org.geoward.sighting;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.geoward.evaluate.Fix;
import org.geoward.evaluate.GuardianLocator;
import org.geoward.evaluate.SubjectKind;

/**
 * The recent fixes of every GUARDIAN, by event time, so that the companion check finds the guardian's fix nearest
 * in time to the ward's, not just the guardian's newest: a ward's and a guardian's walk sent in one batch, or in one
 * request a minute, then decide alike. The log fills it after each commit, before the evaluation sees the batch, so
 * a guardian's fixes in the same batch count. Keeps {@link #KEPT} of event time behind each guardian's newest fix.
 * Thread-safe.
 */
@Singleton
public class GuardianFixes implements GuardianLocator {
    public static final Duration KEPT = Duration.ofMinutes(15);

    private final Map<Long, NavigableMap<Instant, Fix>> fixes = new ConcurrentHashMap<>();

    /** Takes a committed fix; only guardians' are kept. */
    void offer(Sighting s, SubjectKind kind) {
        if (kind != SubjectKind.GUARDIAN) {
            return;
        }
        NavigableMap<Instant, Fix> track = fixes.computeIfAbsent(s.subjectId(), id -> new ConcurrentSkipListMap<>());
        track.put(
                s.time(),
                new Fix(
                        s.subjectId(),
                        kind,
                        s.time(),
                        s.lon(),
                        s.lat(),
                        s.accuracy() == null ? 0 : s.accuracy(),
                        false,
                        null,
                        null));
        track.headMap(track.lastKey().minus(KEPT)).clear();
    }

    /** Forgets an erased person's recent fixes. */
    void forget(long subjectId) {
        fixes.remove(subjectId);
    }

    @Override
    public Optional<Fix> latestFix(long guardianSubjectId) {
        NavigableMap<Instant, Fix> track = fixes.get(guardianSubjectId);
        var last = track == null ? null : track.lastEntry();
        return last == null ? Optional.empty() : Optional.of(last.getValue());
    }

    @Override
    public Optional<Fix> closestFix(long guardianSubjectId, Instant time) {
        NavigableMap<Instant, Fix> track = fixes.get(guardianSubjectId);
        if (track == null) {
            return Optional.empty();
        }
        var before = track.floorEntry(time);
        var after = track.ceilingEntry(time);
        if (before == null || after == null) {
            return Optional.ofNullable(before == null ? after : before).map(Map.Entry::getValue);
        }
        Duration toBefore = Duration.between(before.getKey(), time);
        Duration toAfter = Duration.between(time, after.getKey());
        return Optional.of(toBefore.compareTo(toAfter) <= 0 ? before.getValue() : after.getValue());
    }
}
