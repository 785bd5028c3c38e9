package org.geoward.bench.load;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints one {@code SEC} line a second: what the current phase sent and got back in that second, and the latency
 * percentiles of its acked requests. Runs on its own daemon thread until {@link #close}.
 */
final class SecondReporter implements AutoCloseable {
    private final Phases phases;
    private final PrintStream out;
    private final Thread thread;
    private volatile String phaseName = "warmup";
    private volatile boolean closed;

    SecondReporter(Phases phases, PrintStream out) {
        this.phases = phases;
        this.out = out;
        this.thread = new Thread(this::report, "second-reporter");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Names the phase in the lines from now on. */
    void phase(String name) {
        phaseName = name;
    }

    private void report() {
        Counters counting = phases.counters();
        long[] last = snapshot(counting);
        long start = System.nanoTime();
        for (long tick = 1; !closed; tick++) {
            long wake = start + tick * 1_000_000_000L;
            try {
                Thread.sleep(Math.max(0, (wake - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
            Counters c = phases.counters();
            if (c != counting) {
                // a new phase: its seconds count from here
                counting = c;
                last = snapshot(c);
                c.takeInterval();
                start = System.nanoTime();
                tick = 0;
                continue;
            }
            long[] now = snapshot(c);
            LatencyHistogram interval = c.takeInterval();
            out.printf(
                    Locale.ROOT,
                    "SEC phase=%s t=%d sent=%d acked=%d busy503=%d other=%d failed=%d p50_ms=%.1f p99_ms=%.1f%n",
                    phaseName,
                    tick,
                    now[0] - last[0],
                    now[1] - last[1],
                    now[2] - last[2],
                    now[3] - last[3],
                    now[4] - last[4],
                    interval.percentileMillis(0.50),
                    interval.percentileMillis(0.99));
            last = now;
        }
    }

    private static long[] snapshot(Counters c) {
        return new long[] {c.sent.sum(), c.acked.sum(), c.busy.sum(), c.other.sum(), c.failed.sum()};
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
