package org.geoward.bench.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts latencies in logarithmic buckets 2 % wide, from 1 microsecond to about 20 minutes; a percentile is read as
 * its bucket's upper bound, so it is at most 2 % high. Thread-safe and lock-free.
 */
final class LatencyHistogram {
    private static final double RATIO = 1.02;
    private static final double LOG_RATIO = Math.log(RATIO);
    private static final int BUCKETS = 1_060;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        double micros = Math.max(1, nanos / 1_000.0);
        int bucket = (int) Math.min(BUCKETS - 1, Math.ceil(Math.log(micros) / LOG_RATIO));
        counts.incrementAndGet(bucket);
    }

    long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The latency in milliseconds below which {@code fraction} (0-1) of the recorded ones lie; NaN when empty. */
    double percentileMillis(double fraction) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.pow(RATIO, i) / 1_000.0;
            }
        }
        return Math.pow(RATIO, BUCKETS - 1) / 1_000.0;
    }
}
