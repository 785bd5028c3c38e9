package org.geoward.bench.load;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one phase of the load (warm-up or timed) sent and got back. Every request counts once in {@code sent} and
 * once in exactly one of acked (200), busy (503, resent after its Retry-After), other (any other status, not resent)
 * or failed (no answer: connection refused, reset or timed out, resent on a new connection). Thread-safe.
 */
final class Counters {
    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder busy = new LongAdder();
    final LongAdder other = new LongAdder();
    final LongAdder failed = new LongAdder();
    /** Fixes given up on after the most attempts one fix may take. */
    final LongAdder dropped = new LongAdder();

    final LatencyHistogram latency = new LatencyHistogram();
    private final AtomicReference<LatencyHistogram> interval = new AtomicReference<>(new LatencyHistogram());
    private final AtomicReference<String> firstOther = new AtomicReference<>();

    /** Counts a 200 that took {@code nanos} from the first byte sent to the last byte read. */
    void countAcked(long nanos) {
        acked.increment();
        latency.record(nanos);
        interval.get().record(nanos);
    }

    /** Counts a status other than 200 and 503, keeping the first one's text to show. */
    void countOther(int status, String body) {
        other.increment();
        firstOther.compareAndSet(null, status + " " + body.strip());
    }

    /** The first answer that was neither 200 nor 503, or null. */
    String firstOther() {
        return firstOther.get();
    }

    /** Returns the latencies since the last call and starts a new interval. */
    LatencyHistogram takeInterval() {
        return interval.getAndSet(new LatencyHistogram());
    }
}
