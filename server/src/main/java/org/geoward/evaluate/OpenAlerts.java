package org.geoward.evaluate;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds a subject's open alerts in the order they opened: type, fence id (none for SOS and OFFLINE) and when, in
 * small parallel arrays, so checking whether an alert is open compares primitives instead of hashing an
 * {@link SubjectState.AlertKey}. Not thread-safe.
 */
final class OpenAlerts {
    private static final AlertType[] TYPES = AlertType.values();
    /** Added to a type's ordinal for an alert without a fence. */
    private static final int NO_FENCE = 0x100;

    private static final long[] NO_KEYS = {};
    private static final Instant[] NO_TIMES = {};

    /**
     * Per open alert, its code (type ordinal, plus {@link #NO_FENCE} without a fence) and its fence id (0 without)
     * side by side, so that a lookup reads one array.
     */
    private long[] keys = NO_KEYS;

    private Instant[] times = NO_TIMES;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    private static int code(AlertType type, Long fenceId) {
        return type.ordinal() + (fenceId == null ? NO_FENCE : 0);
    }

    private int find(int code, long fenceId) {
        for (int i = 0; i < size; i++) {
            if (keys[2 * i] == code && keys[2 * i + 1] == fenceId) {
                return i;
            }
        }
        return -1;
    }

    private int find(AlertType type, Long fenceId) {
        return find(code(type, fenceId), fenceId == null ? 0 : fenceId);
    }

    /** Tells whether the alert of the type is open for the fence. */
    boolean contains(AlertType type, long fenceId) {
        return find(type.ordinal(), fenceId) >= 0;
    }

    boolean contains(AlertType type, Long fenceId) {
        return find(type, fenceId) >= 0;
    }

    /**
     * Opens the alert at the time unless it is open with a time (as {@link Map#putIfAbsent}); returns when it opened
     * before, or null.
     */
    Instant putIfAbsent(AlertType type, Long fenceId, Instant at) {
        int i = find(type, fenceId);
        if (i >= 0) {
            Instant old = times[i];
            if (old == null) {
                times[i] = at;
            }
            return old;
        }
        add(code(type, fenceId), fenceId == null ? 0 : fenceId, at);
        return null;
    }

    /** Sets when the alert opened, keeping its place if it is open; returns the previous time or null. */
    Instant put(SubjectState.AlertKey key, Instant at) {
        int i = find(key.type(), key.fenceId());
        if (i >= 0) {
            Instant old = times[i];
            times[i] = at;
            return old;
        }
        add(code(key.type(), key.fenceId()), key.fenceId() == null ? 0 : key.fenceId(), at);
        return null;
    }

    private void add(int code, long fenceId, Instant at) {
        if (size == times.length) {
            int capacity = Math.max(4, size * 2);
            keys = Arrays.copyOf(keys, 2 * capacity);
            times = Arrays.copyOf(times, capacity);
        }
        keys[2 * size] = code;
        keys[2 * size + 1] = fenceId;
        times[size++] = at;
    }

    /** Closes the alert; returns when it opened, or null when it was not open. */
    Instant remove(AlertType type, Long fenceId) {
        int i = find(type, fenceId);
        if (i < 0) {
            return null;
        }
        Instant old = times[i];
        System.arraycopy(keys, 2 * (i + 1), keys, 2 * i, 2 * (size - i - 1));
        System.arraycopy(times, i + 1, times, i, size - i - 1);
        times[--size] = null;
        return old;
    }

    AlertType typeAt(int i) {
        return TYPES[(int) keys[2 * i] & (NO_FENCE - 1)];
    }

    /** Returns the fence of the i-th open alert, or null. */
    Long fenceIdAt(int i) {
        return (keys[2 * i] & NO_FENCE) != 0 ? null : keys[2 * i + 1];
    }

    Instant timeAt(int i) {
        return times[i];
    }

    /** Returns a read-only copy in opening order. */
    Map<SubjectState.AlertKey, Instant> toMap() {
        Map<SubjectState.AlertKey, Instant> m = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            m.put(new SubjectState.AlertKey(typeAt(i), fenceIdAt(i)), times[i]);
        }
        return Collections.unmodifiableMap(m);
    }
}
