package org.geoward.cluster;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The cluster's Kafka settings ({@code geoward.kafka.*}): the brokers, the topic of fixes (and the guardians' topic named
 * after it) and its partition count
 * (fixed for the life of the topic: it decides which partition owns a subject), the consumer group and this node's
 * name in it. Immutable.
 */
@Singleton
@Requires(property = "geoward.kafka.bootstrap", pattern = ".+")
public class KafkaSettings {
    private final String bootstrap;
    private final String topic;
    private final int partitions;
    private final short replication;
    private final String group;
    private final String node;
    private final Duration sessionTimeout;
    private final Duration fetchWait;

    KafkaSettings(
            @Value("${geoward.kafka.bootstrap}") String bootstrap,
            @Value("${geoward.kafka.topic:geoward-fixes}") String topic,
            @Value("${geoward.kafka.partitions:12}") int partitions,
            @Value("${geoward.kafka.replication:1}") short replication,
            @Value("${geoward.kafka.group:geoward-evaluation}") String group,
            @Value("${geoward.kafka.node-id:}") String node,
            @Value("${geoward.kafka.session-timeout:10s}") Duration sessionTimeout,
            @Value("${geoward.kafka.fetch-wait:10ms}") Duration fetchWait,
            @Value("${micronaut.server.port:8080}") int port) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.partitions = partitions;
        this.replication = replication;
        this.group = group;
        this.node = node.isBlank() ? hostName() + ":" + port : node;
        this.sessionTimeout = sessionTimeout;
        this.fetchWait = fetchWait;
    }

    /** {@code host:port[,host:port...]} of the brokers. */
    public String bootstrap() {
        return bootstrap;
    }

    /** The topic of fixes (and resolutions), keyed by subject id. */
    public String topic() {
        return topic;
    }

    /**
     * The topic of the guardians' fixes alone, {@code <topic>-guardians}: each guardian's fix is produced to it as well,
     * and every node's {@link GuardianTail} reads it whole (rather than every fix of the cluster).
     */
    String guardianTopic() {
        return topic + "-guardians";
    }

    /** The topic's partition count: also the evaluation's. */
    public int partitions() {
        return partitions;
    }

    short replication() {
        return replication;
    }

    String group() {
        return group;
    }

    /** This node's name in the group and in {@code cluster_checkpoint.owner}. */
    public String node() {
        return node;
    }

    Duration sessionTimeout() {
        return sessionTimeout;
    }

    /**
     * How long the broker may hold the evaluating consumer's fetch for more fixes to arrive (Kafka's {@code
     * fetch.max.wait.ms}): each poll is stored in one transaction, so a fetch that waits a little carries many fixes
     * at low rates instead of one or two. Adds at most this much to the time from a fix to its alert.
     */
    Duration fetchWait() {
        return fetchWait;
    }

    /** The settings every client shares. */
    Map<String, Object> common(String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-" + node);
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        return p;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node-" + ProcessHandle.current().pid();
        }
    }
}
