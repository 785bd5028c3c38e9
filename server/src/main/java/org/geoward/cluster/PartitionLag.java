package org.geoward.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.geoward.partition.PartitionedEvaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer lag of this node's partitions, as gauges per partition:
 *
 * <ul>
 *   <li>{@code geoward_kafka_consumer_lag_records{partition}}: the partition's log end offset minus the next offset to
 *       evaluate, i.e. fixes in Kafka that this node has not yet evaluated (so not yet alerted on); 0 on a node that
 *       does not own the partition, so the sum over the nodes is the cluster's lag;
 *   <li>{@code geoward_kafka_partition_owned{partition}}: 1 on the node that owns the partition now, else 0.
 * </ul>
 *
 * The log end offsets are asked every {@link #REFRESH} with an Admin client of its own, apart from the consumer, so
 * that the lag grows while the consumer is stuck (waiting for the database, say). While no broker answers they keep
 * their last values. The evaluated offsets live in {@code cluster_checkpoint}, not in Kafka's group offsets, so
 * {@code kafka-consumer-groups --describe} cannot show this lag. Thread-safe.
 */
@Singleton
@Requires(bean = KafkaSettings.class)
class PartitionLag {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLag.class);
    static final Duration REFRESH = Duration.ofSeconds(2);

    private final KafkaSettings settings;
    private final PartitionedEvaluation evaluation;
    private final AtomicLongArray logEnd;
    private final AtomicLongArray owned;
    private final Admin admin;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kafka-lag");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean warned;

    PartitionLag(KafkaSettings settings, PartitionedEvaluation evaluation, MeterRegistry registry) {
        this.settings = settings;
        this.evaluation = evaluation;
        this.logEnd = new AtomicLongArray(settings.partitions());
        this.owned = new AtomicLongArray(settings.partitions());
        for (int i = 0; i < settings.partitions(); i++) {
            int partition = i;
            logEnd.set(i, -1);
            Gauge.builder("geoward.kafka.consumer.lag", this, m -> m.lag(partition))
                    .description("fixes in Kafka that this node, owning the partition, has not yet evaluated")
                    .baseUnit("records")
                    .tag("partition", String.valueOf(i))
                    .register(registry);
            Gauge.builder("geoward.kafka.partition.owned", this, m -> m.owned.get(partition))
                    .description("1 while this node owns (evaluates) the partition")
                    .tag("partition", String.valueOf(i))
                    .register(registry);
        }
        Map<String, Object> p = settings.common("geoward-lag");
        p.put("request.timeout.ms", 1_500);
        p.put("default.api.timeout.ms", 1_500);
        this.admin = Admin.create(p);
        refresher.scheduleWithFixedDelay(this::refresh, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Notes the partitions this node owns; called by the consumer thread after each poll. */
    void owns(Set<Integer> partitions) {
        for (int i = 0; i < owned.length(); i++) {
            owned.set(i, partitions.contains(i) ? 1 : 0);
        }
    }

    /** Fixes of {@code partition} in Kafka not yet evaluated here; 0 when not owned or not yet known. */
    long lag(int partition) {
        long end = logEnd.get(partition);
        if (owned.get(partition) == 0 || end < 0) {
            return 0;
        }
        long next = evaluation.partitionPositions()[partition] + 1;
        return Math.max(0, end - next);
    }

    private void refresh() {
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (int i = 0; i < logEnd.length(); i++) {
            ask.put(new TopicPartition(settings.topic(), i), OffsetSpec.latest());
        }
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(
                            ask, new ListOffsetsOptions().timeoutMs(1_500))
                    .all()
                    .get(2, TimeUnit.SECONDS);
            ends.forEach((tp, info) -> logEnd.set(tp.partition(), info.offset()));
            warned = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!warned) {
                warned = true;
                LOG.info(
                        "the log end offsets of {} are not known now ({}); the lag shows the last ones",
                        settings.topic(),
                        e.toString());
            }
        }
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
