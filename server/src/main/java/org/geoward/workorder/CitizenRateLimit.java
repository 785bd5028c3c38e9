package org.geoward.workorder;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Limits citizen reports: at most {@code geoward.citizen-reports.per-address} (5) per address and {@code
 * geoward.citizen-reports.total} (60) from everyone within {@code geoward.citizen-reports.window} (10m). In memory,
 * per node. Thread-safe.
 */
@Singleton
final class CitizenRateLimit {
    private final int perAddress;
    private final int total;
    private final Duration window;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Deque<Instant>> byAddress = new HashMap<>();
    private final Deque<Instant> all = new ArrayDeque<>();

    CitizenRateLimit(
            @Value("${geoward.citizen-reports.per-address:5}") int perAddress,
            @Value("${geoward.citizen-reports.total:60}") int total,
            @Value("${geoward.citizen-reports.window:10m}") Duration window) {
        this.perAddress = perAddress;
        this.total = total;
        this.window = window;
    }

    /** Counts a report from {@code address}: null when admitted, else how long until one more would be. */
    synchronized Duration admit(String address) {
        Instant now = clock.instant();
        Instant since = now.minus(window);
        Deque<Instant> mine = byAddress.computeIfAbsent(address, a -> new ArrayDeque<>());
        prune(mine, since);
        prune(all, since);
        byAddress.values().removeIf(Deque::isEmpty);
        if (mine.size() >= perAddress) {
            return Duration.between(now, mine.peekFirst().plus(window));
        }
        if (all.size() >= total) {
            return Duration.between(now, all.peekFirst().plus(window));
        }
        mine.addLast(now);
        byAddress.put(address, mine);
        all.addLast(now);
        return null;
    }

    /** Forgets every report counted so far (for tests and operators). */
    synchronized void reset() {
        byAddress.clear();
        all.clear();
    }

    private static void prune(Deque<Instant> times, Instant since) {
        while (!times.isEmpty() && times.peekFirst().isBefore(since)) {
            times.removeFirst();
        }
    }
}
