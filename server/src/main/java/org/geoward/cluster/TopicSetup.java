package org.geoward.cluster;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topic of fixes and the guardians' topic ({@link KafkaSettings#guardianTopic}, kept an hour) at start if
 * they are missing, and refuses to start on a topic whose partition count is not
 * {@code geoward.kafka.partitions}: the count decides which partition owns a subject, for producer and evaluator alike.
 */
@Singleton
@Requires(bean = KafkaSettings.class)
class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    private static final int WAIT_SECONDS = 60;
    private static final long GUARDIAN_RETENTION_MS = 3_600_000;

    private final KafkaSettings settings;
    private volatile boolean done;

    TopicSetup(KafkaSettings settings) {
        this.settings = settings;
    }

    /** Makes sure the topics exist with the configured partitions; waits up to a minute for the brokers. */
    synchronized void ensureTopic() {
        if (done) {
            return;
        }
        try (Admin admin = Admin.create(settings.common("geoward-admin"))) {
            create(admin, new NewTopic(settings.topic(), settings.partitions(), settings.replication()));
            // the guardians' tail reads at most GuardianTail.HISTORY back: an hour of it is plenty
            create(
                    admin,
                    new NewTopic(settings.guardianTopic(), settings.partitions(), settings.replication())
                            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(GUARDIAN_RETENTION_MS))));
            TopicDescription d = admin.describeTopics(List.of(settings.topic()))
                    .allTopicNames()
                    .get(WAIT_SECONDS, TimeUnit.SECONDS)
                    .get(settings.topic());
            if (d.partitions().size() != settings.partitions()) {
                throw new IllegalStateException("the Kafka topic " + settings.topic() + " has "
                        + d.partitions().size() + " partitions, but geoward.kafka.partitions is "
                        + settings.partitions() + ": set it to the topic's count (it decides who owns a subject)");
            }
            done = true;
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka at " + settings.bootstrap() + " did not answer within " + WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not describe the Kafka topic " + settings.topic(), e.getCause());
        }
    }

    /** Creates {@code topic} (min.insync.replicas added) unless it exists. */
    private void create(Admin admin, NewTopic topic) throws InterruptedException, TimeoutException {
        Map<String, String> configs = new HashMap<>(topic.configs() == null ? Map.of() : topic.configs());
        configs.put("min.insync.replicas", settings.replication() > 1 ? "2" : "1");
        try {
            admin.createTopics(List.of(topic.configs(configs))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
            LOG.info(
                    "created Kafka topic {} with {} partitions (replication {})",
                    topic.name(),
                    topic.numPartitions(),
                    topic.replicationFactor());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "could not create the Kafka topic " + topic.name() + " at " + settings.bootstrap(),
                        e.getCause());
            }
        }
    }
}
