package org.geoward.alert;

import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Lets one thread at a time work on a subject's evaluator state: 1,024 striped locks by subject id, so different
 * subjects rarely wait for each other. Across nodes the {@code subject_state} row lock ({@code SELECT ... FOR UPDATE})
 * does the same job; this lock keeps one node's workers from queueing on the database. A batch takes all its
 * subjects' stripes with {@link #withLocks}, in ascending stripe order, so two batches cannot deadlock; nobody holds
 * one stripe while waiting for another in any other order. Thread-safe.
 */
@Singleton
class SubjectLocks {
    private static final int STRIPES = 16_384;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    SubjectLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Runs {@code work} holding the lock of {@code subjectId}. */
    <T> T withLock(long subjectId, Supplier<T> work) {
        ReentrantLock lock = locks[stripe(subjectId)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} holding the locks of all {@code subjectIds}, taken in ascending stripe order. */
    <T> T withLocks(Collection<Long> subjectIds, Supplier<T> work) {
        TreeSet<Integer> stripes = new TreeSet<>();
        subjectIds.forEach(id -> stripes.add(stripe(id)));
        Integer[] order = stripes.toArray(Integer[]::new);
        int taken = 0;
        try {
            for (Integer stripe : order) {
                locks[stripe].lock();
                taken++;
            }
            return work.get();
        } finally {
            for (int i = taken - 1; i >= 0; i--) {
                locks[order[i]].unlock();
            }
        }
    }

    private static int stripe(long subjectId) {
        return Math.floorMod(Long.hashCode(subjectId) * 0x9E3779B9, STRIPES);
    }
}
