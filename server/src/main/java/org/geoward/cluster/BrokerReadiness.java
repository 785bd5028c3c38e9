package org.geoward.cluster;

import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.geoward.readiness.ReadinessCheck;

/**
 * Cluster mode: ready while a broker answers {@code describeCluster} within {@link #TIMEOUT_MILLIS}; while none does,
 * {@code /ready} answers 503 ("kafka: ...") and a load balancer sends fixes to other nodes, whose requests would get
 * 503 from this one anyway. One Admin client for the node's life; the answer is kept for {@link #CACHE_MILLIS}, so
 * that a probe every second costs one round trip every two. Thread-safe.
 */
@Singleton
@Requires(bean = KafkaSettings.class)
final class BrokerReadiness implements ReadinessCheck {
    static final long TIMEOUT_MILLIS = 800;
    static final long CACHE_MILLIS = 2_000;

    private final KafkaSettings settings;
    private final Admin admin;
    private volatile Answer last;

    private record Answer(Optional<String> waitingFor, long atNanos) {}

    BrokerReadiness(KafkaSettings settings) {
        this.settings = settings;
        Map<String, Object> p = settings.common("geoward-readiness");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MILLIS);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MILLIS);
        this.admin = Admin.create(p);
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Optional<String> waitingFor() {
        Answer a = last;
        if (a == null || System.nanoTime() - a.atNanos() > TimeUnit.MILLISECONDS.toNanos(CACHE_MILLIS)) {
            a = new Answer(ask(), System.nanoTime());
            last = a;
        }
        return a.waitingFor();
    }

    private Optional<String> ask() {
        try {
            var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT_MILLIS))
                    .nodes()
                    .get(TIMEOUT_MILLIS + 200, TimeUnit.MILLISECONDS);
            return nodes.isEmpty() ? Optional.of("no broker in the cluster") : Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.of("no broker at " + settings.bootstrap() + " answers");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    @PreDestroy
    void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
