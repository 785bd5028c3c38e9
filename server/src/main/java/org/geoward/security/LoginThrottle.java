package org.geoward.security;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locks a username after {@code geoward.login.max-failures} (5) wrong passwords in a row, for {@code
 * geoward.login.lock} (5 minutes): until then every login for it is refused with 429 and {@code Retry-After}, the
 * right password too, so guessing costs minutes per five tries. A good login resets the count. Counted per username
 * (existing or not, so the answer does not tell which exist), in this node's memory: a restart or another node
 * starts from zero. Thread-safe.
 */
@Singleton
final class LoginThrottle {
    private final int maxFailures;
    private final Duration lock;
    private final Clock clock = Clock.systemUTC();
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    /** Wrong passwords in a row for one username, and until when it is locked (null: not locked). */
    private record Failures(int count, Instant lockedUntil) {}

    LoginThrottle(
            @Value("${geoward.login.max-failures:5}") int maxFailures,
            @Value("${geoward.login.lock:5m}") Duration lock) {
        this.maxFailures = maxFailures;
        this.lock = lock;
    }

    /** Seconds {@code username} stays locked, or 0 when it may try. */
    long lockedSeconds(String username) {
        Failures f = failures.get(key(username));
        if (f == null || f.lockedUntil() == null) {
            return 0;
        }
        long seconds = Duration.between(clock.instant(), f.lockedUntil()).toSeconds() + 1;
        return Math.max(seconds, 0);
    }

    /** Counts a wrong password for {@code username}; returns whether this one locked it. */
    boolean failed(String username) {
        Instant now = clock.instant();
        Failures after = failures.compute(key(username), (k, f) -> {
            int count = (f == null || (f.lockedUntil() != null && !now.isBefore(f.lockedUntil()))) ? 1 : f.count() + 1;
            return new Failures(count, count >= maxFailures ? now.plus(lock) : null);
        });
        return after.lockedUntil() != null;
    }

    /** Forgets the failures of {@code username} after a good login. */
    void succeeded(String username) {
        failures.remove(key(username));
    }

    int maxFailures() {
        return maxFailures;
    }

    private static String key(String username) {
        return username.trim().toLowerCase(Locale.ROOT);
    }
}
