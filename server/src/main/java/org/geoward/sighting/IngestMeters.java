package org.geoward.sighting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts fixes as they pass the ingest pipeline, per {@link Source} (GPS when the item named none, as
 * {@link Sighting} defaults it):
 * {@code geoward_fixes_total{source, outcome}} with outcome {@code received} (every item of a request), {@code
 * stored} (new rows committed), {@code duplicate} (already stored or repeated) and {@code rejected} (refused by
 * validation or resolution); and {@code geoward_ingest_busy_total}, requests answered 503 (nothing kept). A request
 * that fails otherwise shows as received without an outcome. Thread-safe.
 */
@io.micronaut.context.annotation.Context
class IngestMeters {
    /** How a fix left the pipeline. */
    enum Outcome {
        RECEIVED,
        STORED,
        DUPLICATE,
        REJECTED
    }

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter busy;

    IngestMeters(MeterRegistry registry) {
        this.registry = registry;
        this.busy = Counter.builder("geoward.ingest.busy")
                .description("ingest requests answered 503 + Retry-After (nothing of them kept)")
                .register(registry);
        // every series exists from the start, so that rate() and alert rules see zeros rather than nothing
        for (Source source : Source.values()) {
            for (Outcome outcome : Outcome.values()) {
                count(outcome, source, 0);
            }
        }
    }

    void count(Outcome outcome, Source source, int fixes) {
        String sourceTag = (source == null ? Source.GPS : source).name();
        String outcomeTag = outcome.name().toLowerCase(java.util.Locale.ROOT);
        counters.computeIfAbsent(sourceTag + '/' + outcomeTag, k -> Counter.builder("geoward.fixes")
                        .description("fixes through the ingest pipeline, by source and outcome")
                        .tag("source", sourceTag)
                        .tag("outcome", outcomeTag)
                        .register(registry))
                .increment(Math.max(0, fixes));
    }

    void busy() {
        busy.increment();
    }
}
