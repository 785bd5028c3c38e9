package org.geoward.bench.load;

import java.time.Duration;

/**
 * Reads Geoward's own meters from {@code GET /metrics} (Prometheus text, ADMIN token): how far the evaluation is
 * behind the log, and the group commits' sizes. Thread-safe.
 */
final class ServerMetrics {
    private final RestClient rest;

    ServerMetrics(RestClient rest) {
        this.rest = rest;
    }

    /** The value of the first sample of {@code name} (with any labels), or NaN when there is none. */
    double value(String name) {
        String text = rest.get("/metrics").body();
        for (String line : text.split("\n")) {
            if (line.startsWith(name) && line.length() > name.length()) {
                char next = line.charAt(name.length());
                if (next == ' ' || next == '{') {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return Double.NaN;
    }

    /**
     * Waits until every committed fix has been evaluated ({@code geoward_evaluation_behind_fixes} is 0), polling every
     * 50 ms; throws when that takes longer than {@code limit}.
     */
    void awaitEvaluated(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (value("geoward_evaluation_behind_fixes") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the evaluation was still behind the log after " + limit);
            }
            Thread.sleep(50);
        }
    }

    /** {count, sum} of the fixes per group commit so far. */
    double[] groups() {
        return new double[] {value("geoward_log_group_fixes_count"), value("geoward_log_group_fixes_sum")};
    }
}
