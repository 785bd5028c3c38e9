package org.geoward.subject;

import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Looks subjects up for ingest: by id (with guardians), by camera track (creating a VISITOR on the fly) and by
 * device unique id. What it has read once it remembers, because every fix asks and the answers rarely change: a
 * phone that sends one fix per request would otherwise pay two or three read transactions per fix.
 *
 * <p>What is remembered is forgotten when it changes: at once, after the commit, for changes made through this
 * node's services ({@link DirectoryChanged}); within milliseconds for every other change, made by another node or
 * with psql, through the database's notifications ({@link DirectoryListener}, trigger in V24). A read that overlaps
 * a change is not remembered (the {@code changes} counter), so a forgotten entry cannot come back stale. Devices and
 * subjects not found are not remembered: registering one needs no notice. Thread-safe.
 */
@Singleton
public class SubjectDirectory {
    /** The most camera tracks remembered; past it the memory starts again (visitors are many and short-lived). */
    static final int MAX_TRACKS = 100_000;

    private final DirectoryRows rows;
    private final Map<Long, SubjectInfo> subjects = new ConcurrentHashMap<>();
    private final Map<String, DeviceBinding> devices = new ConcurrentHashMap<>();
    private final Map<String, Long> tracks = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    SubjectDirectory(DirectoryRows rows) {
        this.rows = rows;
    }

    /** The subject with this id, or empty. */
    public Optional<SubjectInfo> find(long id) {
        return Optional.ofNullable(findAll(Set.of(id)).get(id));
    }

    /** The subjects among {@code ids} that exist, by id. */
    public Map<Long, SubjectInfo> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<Long, SubjectInfo> found = new HashMap<>();
        List<Long> missing = new ArrayList<>();
        for (Long id : ids) {
            SubjectInfo info = subjects.get(id);
            if (info != null) {
                found.put(id, info);
            } else {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            long seen = changes.get();
            Map<Long, SubjectInfo> read = rows.subjects(missing);
            found.putAll(read);
            if (changes.get() == seen) {
                subjects.putAll(read);
            }
        }
        return found;
    }

    /** The VISITOR that stands for a camera track, created the first time the track is seen. */
    public long visitorForTrack(String trackId) {
        Long known = tracks.get(trackId);
        if (known != null) {
            return known;
        }
        long seen = changes.get();
        long id = rows.visitorForTrack(trackId);
        if (changes.get() == seen) {
            if (tracks.size() >= MAX_TRACKS) {
                tracks.clear();
            }
            tracks.put(trackId, id);
        }
        return id;
    }

    /** The device registered under {@code uniqueId} (an IMEI or app id), or empty. */
    public Optional<DeviceBinding> deviceByUniqueId(String uniqueId) {
        DeviceBinding known = devices.get(uniqueId);
        if (known != null) {
            return Optional.of(known);
        }
        long seen = changes.get();
        Optional<DeviceBinding> read = rows.device(uniqueId);
        if (read.isPresent() && changes.get() == seen) {
            devices.put(uniqueId, read.get());
        }
        return read;
    }

    /**
     * Where the subject was last seen according to the database: the newer of its written-behind {@code
     * subject_position} and its newest stored sighting (in cluster mode the node that owns the subject stores its fixes
     * within a poll, and writes the position up to half a second later), or empty if it never was. Not remembered.
     */
    public Optional<LastPosition> lastPosition(long subjectId) {
        return rows.lastPosition(subjectId);
    }

    /** A subject's latest fix: WGS 84 degrees, accuracy in metres (or null), and when it was taken. */
    public record LastPosition(double lon, double lat, Double accuracy, Instant time) {}

    @TransactionalEventListener
    void changed(DirectoryChanged change) {
        if (change.subjectId() != null) {
            forgetSubject(change.subjectId());
        } else {
            forgetDevice(change.deviceUniqueId());
        }
    }

    /** Forgets the subject {@code id} (and, if it was a camera track's visitor, the track). */
    void forgetSubject(long id) {
        changes.incrementAndGet();
        subjects.remove(id);
        tracks.values().removeIf(v -> v == id);
    }

    /** Forgets the device {@code uniqueId}. */
    void forgetDevice(String uniqueId) {
        changes.incrementAndGet();
        devices.remove(uniqueId);
    }

    /** Forgets everything: when notifications may have been missed (the listener reconnected). */
    void forgetAll() {
        changes.incrementAndGet();
        subjects.clear();
        devices.clear();
        tracks.clear();
    }
}
