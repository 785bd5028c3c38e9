package org.geoward.cluster;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.geoward.partition.PartitionedEvaluation;
import org.geoward.problem.DatabaseFailures;
import org.geoward.sighting.LatestPositions;
import org.geoward.sighting.LogBatch;
import org.geoward.sighting.LoggedFix;
import org.geoward.sighting.Sighting;
import org.geoward.sighting.SightingLog;
import org.geoward.subject.SubjectDirectory;
import org.geoward.subject.SubjectInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's share of the evaluation: a member of the consumer group {@code geoward.kafka.group} on the topic of
 * fixes. For each partition Kafka assigns it, it adopts the partition's checkpoint ({@link PartitionCheckpoints}),
 * loads its subjects' states and seeks to the checkpoint's offset; for each poll it stores the fixes in {@code
 * sighting} (idempotent: a fix consumed twice across a takeover is stored once) and then hands them to the
 * partition, a resolution in its place among them. A partition revoked (another node joins, this one stops) is
 * checkpointed first; one lost (this node was presumed dead) is dropped without a checkpoint, and its new owner
 * replays it from the last one. Either way this node then forgets its subjects' latest positions ({@link
 * LatestPositions#handOver}): from then on it asks the database, where their new owner stores them. One thread.
 */
@Singleton
@Requires(bean = KafkaSettings.class)
class FixConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(FixConsumer.class);

    /** A fetch returns once it holds this many bytes (about 1,000 compressed fixes), or after the fetch wait. */
    static final int FETCH_MIN_BYTES = 64 * 1024;

    private final KafkaSettings settings;
    private final PartitionedEvaluation evaluation;
    private final SightingLog log;
    private final SubjectDirectory directory;
    private final PartitionCheckpoints checkpoints;
    private final PartitionLag lag;
    private final LatestPositions positions;
    private final Set<Integer> owned = new TreeSet<>();
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    FixConsumer(
            KafkaSettings settings,
            PartitionedEvaluation evaluation,
            SightingLog log,
            SubjectDirectory directory,
            PartitionCheckpoints checkpoints,
            PartitionLag lag,
            LatestPositions positions,
            TopicSetup topics) {
        this.settings = settings;
        this.evaluation = evaluation;
        this.log = log;
        this.directory = directory;
        this.checkpoints = checkpoints;
        this.lag = lag;
        this.positions = positions;
        topics.ensureTopic();
    }

    @EventListener
    synchronized void start(StartupEvent event) {
        if (thread != null) {
            return;
        }
        evaluation.start();
        if (evaluation.partitionCount() != settings.partitions()) {
            throw new IllegalStateException("the evaluation has " + evaluation.partitionCount()
                    + " partitions, the topic " + settings.partitions());
        }
        thread = new Thread(this::run, "kafka-fixes");
        thread.setDaemon(true);
        thread.start();
    }

    /** The partitions this node evaluates now (a copy). */
    synchronized Set<Integer> owned() {
        return new TreeSet<>(owned);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(30_000);
        }
    }

    private void run() {
        Map<String, Object> p = settings.common("geoward-evaluation");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        // a poll is one storing transaction: let a fetch gather up to FETCH_MIN_BYTES for at most fetch-wait
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int)
                settings.fetchWait().toMillis());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int)
                settings.sessionTimeout().toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int)
                Math.max(500, settings.sessionTimeout().toMillis() / 4));
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class.getName()));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p);
        consumer = c;
        try {
            c.subscribe(List.of(settings.topic()), new Rebalance(c));
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = c.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    break;
                }
                lag.owns(owned());
                if (!records.isEmpty()) {
                    handle(records);
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error(
                        "the Kafka consumer of {} failed; this node evaluates nothing until restarted",
                        settings.topic(),
                        e);
            }
        } finally {
            // give the partitions up with a checkpoint, so that their next owner replays nothing
            for (int partition : owned()) {
                evaluation.release(partition, true);
            }
            synchronized (this) {
                owned.clear();
            }
            try {
                c.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.info("closing the Kafka consumer: {}", e.toString());
            }
        }
    }

    /** Stores a poll's fixes, then hands each partition its records in offset order. */
    private void handle(ConsumerRecords<byte[], byte[]> records) {
        List<Sighting> fixes = new ArrayList<>(records.count());
        Set<Long> ids = new HashSet<>();
        Map<TopicPartition, List<FixRecord>> decoded = new LinkedHashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<FixRecord> list = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                FixRecord record = decode(r);
                list.add(record);
                if (record instanceof FixRecord.Fix f) {
                    fixes.add(f.sighting());
                    ids.add(f.subjectId());
                }
            }
            decoded.put(tp, list);
        }
        Map<Long, SubjectInfo> subjects = directory.findAll(ids);
        store(fixes, subjects);
        decoded.forEach((tp, list) -> {
            int partition = tp.partition();
            List<ConsumerRecord<byte[], byte[]>> raw = records.records(tp);
            List<LoggedFix> run = new ArrayList<>();
            long last = -1;
            for (int i = 0; i < raw.size(); i++) {
                FixRecord record = list.get(i);
                if (record instanceof FixRecord.Fix f) {
                    run.add(new LoggedFix(raw.get(i).offset(), f.sighting(), subjects.get(f.subjectId())));
                } else if (record instanceof FixRecord.Resolution res) {
                    if (!run.isEmpty()) {
                        evaluation.accept(partition, new LogBatch(last, run));
                        run = new ArrayList<>();
                    }
                    evaluation.resolvedIn(partition, res.subjectId(), res.type(), res.fenceId());
                }
                last = raw.get(i).offset();
            }
            evaluation.accept(partition, new LogBatch(last, run));
        });
    }

    private static FixRecord decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            return FixRecord.decode(r.value());
        } catch (IllegalArgumentException e) {
            LOG.error("skipping record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return null;
        }
    }

    /** Stores the fixes, waiting while the database is away: they are evaluated only once stored. */
    private void store(List<Sighting> fixes, Map<Long, SubjectInfo> subjects) {
        if (fixes.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                log.storeConsumed(fixes, subjects);
                return;
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isTransient(e) || !running) {
                    LOG.error("could not store {} consumed fixes; evaluating them all the same", fixes.size(), e);
                    return;
                }
                long pause = Math.min(5_000, 100L * attempt);
                LOG.warn("storing {} consumed fixes failed ({}); again in {} ms", fixes.size(), e.toString(), pause);
                sleep(pause);
            }
        }
    }

    /** Adopts assigned partitions from their checkpoints and releases revoked ones. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> consumer;

        Rebalance(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                long began = System.nanoTime();
                PartitionCheckpoints.Adopted adopted = checkpoints.adopt(tp.partition(), () -> running);
                evaluation.adopt(tp.partition(), adopted.nextOffset(), adopted.epoch());
                consumer.seek(tp, adopted.nextOffset());
                synchronized (FixConsumer.this) {
                    owned.add(tp.partition());
                }
                LOG.info(
                        "{} took partition {} at offset {} (epoch {}, previous owner {}) in {} ms",
                        settings.node(),
                        tp.partition(),
                        adopted.nextOffset(),
                        adopted.epoch(),
                        adopted.previousOwner(),
                        (System.nanoTime() - began) / 1_000_000);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            give(partitions, true);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            give(partitions, false);
        }

        private void give(Collection<TopicPartition> partitions, boolean checkpoint) {
            for (TopicPartition tp : partitions) {
                boolean mine;
                synchronized (FixConsumer.this) {
                    mine = owned.remove(tp.partition());
                }
                if (mine) {
                    evaluation.release(tp.partition(), checkpoint);
                    int partition = tp.partition();
                    positions.handOver(id -> PartitionedEvaluation.partitionOf(id, settings.partitions()) == partition);
                    LOG.info(
                            "{} gave partition {} up ({})",
                            settings.node(),
                            tp.partition(),
                            checkpoint ? "checkpointed" : "lost");
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
