package org.geoward.cluster;

import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.geoward.evaluate.AlertType;
import org.geoward.evaluate.SubjectKind;
import org.geoward.partition.PartitionedEvaluation;
import org.geoward.partition.ResolutionRelay;
import org.geoward.problem.ProblemException;
import org.geoward.sighting.ClusterLog;
import org.geoward.sighting.Sighting;
import org.geoward.subject.SubjectInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's log: produces every accepted fix to the topic, to the partition that owns its subject (the
 * evaluation's own rule, {@link PartitionedEvaluation#partitionOf(long, int)}), with an idempotent producer and
 * {@code acks=all}; the caller is answered once Kafka has acknowledged every fix of the request. A guardian's fix goes
 * to the guardians' topic as well ({@link KafkaSettings#guardianTopic}), which every node reads whole for its
 * companion checks, so that no node has to read every fix of the cluster. A resolution by a
 * person travels the same way, so it reaches the subject's evaluator in order with its fixes. While the brokers are
 * away, a request is answered 503 with {@code Retry-After} within about {@link #DELIVERY_TIMEOUT}. Thread-safe.
 */
@Singleton
@Requires(bean = KafkaSettings.class)
class KafkaFixLog implements ClusterLog, ResolutionRelay {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFixLog.class);

    /** How long one request waits for Kafka's acknowledgement at most. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(6);

    private final KafkaSettings settings;
    private final KafkaProducer<byte[], byte[]> producer;

    KafkaFixLog(KafkaSettings settings, TopicSetup topics) {
        this.settings = settings;
        topics.ensureTopic();
        Map<String, Object> p = settings.common("geoward-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(p);
    }

    @Override
    public void append(List<Sighting> rows, Map<Long, SubjectInfo> subjects) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(rows.size());
        for (Sighting s : rows) {
            FixRecord.Fix fix = new FixRecord.Fix(s);
            records.add(record(fix));
            SubjectInfo subject = subjects.get(s.subjectId());
            if (subject != null && subject.kind() == SubjectKind.GUARDIAN) {
                // every node's GuardianTail reads this topic whole, for its companion checks
                records.add(new ProducerRecord<>(
                        settings.guardianTopic(), FixRecord.key(s.subjectId()), FixRecord.encode(fix)));
            }
        }
        send(records, "nothing of this request can be counted as kept: send it again");
    }

    @Override
    public void relay(long subjectId, AlertType type, Long fenceId) {
        send(
                List.of(record(new FixRecord.Resolution(subjectId, type, fenceId))),
                "the alert is resolved, but its evaluator was not told; resolve it again");
    }

    /** The record of {@code r} for its subject's partition of the topic of fixes. */
    private ProducerRecord<byte[], byte[]> record(FixRecord r) {
        int partition = PartitionedEvaluation.partitionOf(r.subjectId(), settings.partitions());
        return new ProducerRecord<>(settings.topic(), partition, FixRecord.key(r.subjectId()), FixRecord.encode(r));
    }

    private void send(List<ProducerRecord<byte[], byte[]>> records, String consequence) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        try {
            for (ProducerRecord<byte[], byte[]> r : records) {
                acks.add(producer.send(r));
            }
            long deadline = System.nanoTime() + DELIVERY_TIMEOUT.plusSeconds(1).toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (KafkaException | ExecutionException | TimeoutException e) {
            LOG.warn("Kafka did not acknowledge {} records: {}", records.size(), e.toString());
            throw ProblemException.busy("Kafka is not reachable right now; " + consequence, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
