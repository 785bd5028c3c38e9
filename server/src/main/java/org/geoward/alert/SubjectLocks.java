package org.geoward.alert;

import jakarta.inject.Singleton;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Lets one thread at a time work on a subject's evaluator state: 1,024 striped locks by subject id, so different
 * subjects rarely wait for each other. Across nodes the {@code subject_state} row lock ({@code SELECT ... FOR UPDATE})
 * does the same job; this lock keeps one node's workers from queueing on the database. Thread-safe.
 */
@Singleton
class SubjectLocks {
    private static final int STRIPES = 1024;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    SubjectLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Runs {@code work} holding the lock of {@code subjectId}. */
    <T> T withLock(long subjectId, Supplier<T> work) {
        ReentrantLock lock = locks[Math.floorMod(Long.hashCode(subjectId) * 0x9E3779B9, STRIPES)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
