package org.geoward.cluster;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.geoward.evaluate.SubjectKind;
import org.geoward.sighting.Sighting;
import org.geoward.sighting.SightingLog;
import org.geoward.subject.SubjectDirectory;
import org.geoward.subject.SubjectInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the guardians' topic ({@link KafkaSettings#guardianTopic}: every partition, outside the group, from 15 minutes
 * back) and keeps the guardians' fixes for this node's companion checks: a ward and their guardian usually live on
 * different partitions, so on different nodes. A guardian's fix counts once this node has read it, which can be a
 * little after the ward's fix is evaluated (docs/cluster.md). Until 2026-12-07 this read every partition of the topic
 * of fixes, and the Kafka client's fetch of every fix of the cluster on every node cost each node 2.5-3 µs per fix of
 * the whole cluster (docs/benchmarks.md), work that grew with the number of nodes. One thread.
 */
@Singleton
@Requires(bean = KafkaSettings.class)
class GuardianTail {
    private static final Logger LOG = LoggerFactory.getLogger(GuardianTail.class);
    private static final Duration HISTORY = Duration.ofMinutes(15);

    private final KafkaSettings settings;
    private final SightingLog log;
    private final SubjectDirectory directory;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    GuardianTail(KafkaSettings settings, SightingLog log, SubjectDirectory directory, TopicSetup topics) {
        this.settings = settings;
        this.log = log;
        this.directory = directory;
        topics.ensureTopic();
    }

    @EventListener
    synchronized void start(StartupEvent event) {
        if (thread == null) {
            thread = new Thread(this::run, "kafka-guardians");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private void run() {
        Map<String, Object> p = settings.common("geoward-guardians");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            consumer = c;
            List<TopicPartition> all = new ArrayList<>();
            for (PartitionInfo info : c.partitionsFor(settings.guardianTopic(), Duration.ofSeconds(60))) {
                all.add(new TopicPartition(info.topic(), info.partition()));
            }
            c.assign(all);
            long from = Instant.now().minus(HISTORY).toEpochMilli();
            Map<TopicPartition, Long> times = new HashMap<>();
            all.forEach(tp -> times.put(tp, from));
            Map<TopicPartition, OffsetAndTimestamp> offsets = c.offsetsForTimes(times, Duration.ofSeconds(60));
            for (TopicPartition tp : all) {
                OffsetAndTimestamp at = offsets.get(tp);
                if (at != null) {
                    c.seek(tp, at.offset());
                } else {
                    c.seekToEnd(List.of(tp));
                }
            }
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = c.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    return;
                }
                if (!records.isEmpty()) {
                    offer(records);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            if (running) {
                LOG.error(
                        "the guardians' tail of {} failed; companion checks see only local guardians",
                        settings.guardianTopic(),
                        e);
            }
        }
    }

    private void offer(ConsumerRecords<byte[], byte[]> records) {
        List<Sighting> fixes = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                if (FixRecord.decode(r.value()) instanceof FixRecord.Fix f) {
                    fixes.add(f.sighting());
                    ids.add(f.subjectId());
                }
            } catch (IllegalArgumentException e) {
                // the evaluating consumer logs it
            }
        }
        if (fixes.isEmpty()) {
            return;
        }
        Map<Long, SubjectInfo> subjects = directory.findAll(ids);
        for (Sighting s : fixes) {
            SubjectInfo subject = subjects.get(s.subjectId());
            if (subject != null && subject.kind() == SubjectKind.GUARDIAN) {
                log.offerSeenFix(s, subject);
            }
        }
    }
}
