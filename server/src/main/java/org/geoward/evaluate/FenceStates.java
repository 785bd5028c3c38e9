package org.geoward.evaluate;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps fence ids to a subject's {@link SubjectState.FenceState}s in two small arrays sorted by id: a subject is near
 * a handful of fences at most, and a lookup reads one array of longs instead of walking tree nodes and boxed keys.
 * Not thread-safe.
 */
final class FenceStates {
    private static final long[] NO_IDS = {};
    private static final SubjectState.FenceState[] NO_STATES = {};

    private long[] ids = NO_IDS;
    private SubjectState.FenceState[] states = NO_STATES;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    long idAt(int i) {
        return ids[i];
    }

    SubjectState.FenceState stateAt(int i) {
        return states[i];
    }

    /** Returns the slot of the id, or {@code -(insertion point) - 1}. */
    private int find(long id) {
        return Arrays.binarySearch(ids, 0, size, id);
    }

    SubjectState.FenceState get(long id) {
        int i = find(id);
        return i < 0 ? null : states[i];
    }

    boolean containsKey(long id) {
        return find(id) >= 0;
    }

    /** Sets the state of the fence; returns the previous one or null. */
    SubjectState.FenceState put(long id, SubjectState.FenceState state) {
        int i = find(id);
        if (i >= 0) {
            SubjectState.FenceState old = states[i];
            states[i] = state;
            return old;
        }
        i = -i - 1;
        if (size == ids.length) {
            int capacity = Math.max(4, size * 2);
            ids = Arrays.copyOf(ids, capacity);
            states = Arrays.copyOf(states, capacity);
        }
        System.arraycopy(ids, i, ids, i + 1, size - i);
        System.arraycopy(states, i, states, i + 1, size - i);
        ids[i] = id;
        states[i] = state;
        size++;
        return null;
    }

    /** Forgets the fence; returns its state or null. */
    SubjectState.FenceState remove(long id) {
        int i = find(id);
        if (i < 0) {
            return null;
        }
        SubjectState.FenceState old = states[i];
        removeAt(i);
        return old;
    }

    void removeAt(int i) {
        System.arraycopy(ids, i + 1, ids, i, size - i - 1);
        System.arraycopy(states, i + 1, states, i, size - i - 1);
        states[--size] = null;
    }

    /** Returns a read-only copy, ordered by fence id. */
    Map<Long, SubjectState.FenceState> toMap() {
        Map<Long, SubjectState.FenceState> m = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            m.put(ids[i], states[i]);
        }
        return Collections.unmodifiableMap(m);
    }
}
