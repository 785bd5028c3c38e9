package org.geoward.monitor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.geoward.partition.PartitionedEvaluation;
import org.geoward.sighting.SightingLog;
import org.geoward.sighting.SubjectMoved;

/**
 * How far the evaluation is behind the log, as gauges:
 *
 * <ul>
 *   <li>{@code geoward_evaluation_behind_fixes}: log positions committed but not yet evaluated (all partitions), and
 *       {@code geoward_evaluation_partition_behind_fixes{partition}} and {@code
 *       geoward_evaluation_partition_queue{partition}} per partition;
 *   <li>{@code geoward_evaluation_lag_seconds}: how long ago the oldest committed but unevaluated position was
 *       committed (0 when caught up), sampled every 250 ms, so ±0.25 s;
 *   <li>{@code geoward_evaluation_newest_fix_age_seconds}: now minus the event time of the newest fix evaluated (grows
 *       while nothing arrives; a jump while fixes do arrive means devices send old fixes or the evaluation stalls).
 * </ul>
 *
 * Thread-safe.
 */
@Context
final class EvaluationMeters {
    private static final long SAMPLE_MILLIS = 250;
    private static final int MAX_SAMPLES = 4 * 3600;

    private final PartitionedEvaluation evaluation;
    private final SightingLog log;
    private final ArrayDeque<long[]> commits = new ArrayDeque<>();
    private final AtomicLong newestFixMillis = new AtomicLong(Long.MIN_VALUE);
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "metrics-evaluation-lag");
        t.setDaemon(true);
        return t;
    });

    EvaluationMeters(PartitionedEvaluation evaluation, SightingLog log, MeterRegistry registry) {
        this.evaluation = evaluation;
        this.log = log;
        Gauge.builder("geoward.evaluation.behind.fixes", this, m -> behind())
                .description("log positions committed but not yet evaluated")
                .register(registry);
        Gauge.builder("geoward.evaluation.lag.seconds", this, EvaluationMeters::lagSeconds)
                .description("age of the oldest committed but unevaluated log position")
                .register(registry);
        Gauge.builder("geoward.evaluation.newest.fix.age.seconds", this, EvaluationMeters::newestFixAgeSeconds)
                .description("now minus the event time of the newest fix evaluated")
                .register(registry);
        int partitions = evaluation.partitionPositions().length;
        for (int i = 0; i < partitions; i++) {
            int index = i;
            Gauge.builder("geoward.evaluation.partition.behind.fixes", this, m -> m.behind(index))
                    .description("log positions this partition has not yet evaluated")
                    .tag("partition", String.valueOf(i))
                    .register(registry);
            Gauge.builder("geoward.evaluation.partition.queue", this, m -> m.evaluation
                            .partitionQueues()[index])
                    .description("batches waiting in this partition's queue")
                    .tag("partition", String.valueOf(i))
                    .register(registry);
        }
        sampler.scheduleWithFixedDelay(this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @EventListener
    void onMoved(SubjectMoved moved) {
        long at = moved.time().toEpochMilli();
        newestFixMillis.accumulateAndGet(at, Math::max);
    }

    private double behind() {
        return Math.max(0, log.position() - evaluation.evaluatedPosition());
    }

    private double behind(int partition) {
        return Math.max(0, log.position() - evaluation.partitionPositions()[partition]);
    }

    private void sample() {
        long position = log.position();
        synchronized (commits) {
            if (commits.isEmpty() || commits.peekLast()[0] < position) {
                commits.addLast(new long[] {position, System.nanoTime()});
            }
            long evaluated = evaluation.evaluatedPosition();
            while (commits.size() > MAX_SAMPLES || !commits.isEmpty() && commits.peekFirst()[0] <= evaluated) {
                commits.pollFirst();
            }
        }
    }

    private double lagSeconds() {
        long evaluated = evaluation.evaluatedPosition();
        synchronized (commits) {
            for (long[] c : commits) {
                if (c[0] > evaluated) {
                    return (System.nanoTime() - c[1]) / 1e9;
                }
            }
        }
        return 0;
    }

    private double newestFixAgeSeconds() {
        long at = newestFixMillis.get();
        return at == Long.MIN_VALUE ? Double.NaN : (Instant.now().toEpochMilli() - at) / 1000.0;
    }

    @PreDestroy
    void stop() {
        sampler.shutdownNow();
    }
}
