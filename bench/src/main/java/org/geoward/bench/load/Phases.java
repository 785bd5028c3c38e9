package org.geoward.bench.load;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells the senders which {@link Counters} the current phase counts in, and when to stop: at the end of the time
 * given, or when the phase's budget of fixes is spent. Thread-safe.
 */
final class Phases {
    private volatile Counters counters = new Counters();
    private volatile boolean stopping;
    private final AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger firstAcks = new AtomicInteger();

    /** Starts counting in {@code next}; {@code fixes} above 0 ends the phase after that many fixes. */
    void begin(Counters next, long fixes) {
        budget.set(fixes > 0 ? fixes : Long.MAX_VALUE);
        counters = next;
    }

    Counters counters() {
        return counters;
    }

    /** Takes one fix from the budget; false once the run stops or the budget is spent. */
    boolean claim() {
        return !stopping && budget.getAndDecrement() > 0;
    }

    /** Counts a device whose first fix was acked (its first report may cost the server a one-off token check). */
    void countFirstAck() {
        firstAcks.incrementAndGet();
    }

    /** How many devices have had a fix acked. */
    int firstAcks() {
        return firstAcks.get();
    }

    void stop() {
        stopping = true;
    }

    boolean isStopping() {
        return stopping;
    }
}
