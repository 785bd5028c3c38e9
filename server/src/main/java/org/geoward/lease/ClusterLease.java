package org.geoward.lease;

import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes scheduled work run on one node of a cluster, not on each: before a round, a job asks {@link #holds} for its
 * lease ({@code cluster_lease}); the node that holds it keeps it by renewing it each round, and another node takes it
 * over once it has not been renewed for its time to live (the holder died). A single node always holds every lease
 * and touches no table. The work itself must stay safe to run twice (a lease can change hands mid-round); it only
 * keeps every node from doing every round. Thread-safe.
 */
@Singleton
public class ClusterLease {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLease.class);

    private final boolean clustered;
    private final String node;
    private final TransactionOperations<Connection> tx;
    private final JdbcOperations jdbc;

    ClusterLease(
            @Value("${geoward.kafka.bootstrap:}") String bootstrap,
            @Value("${geoward.kafka.node-id:}") String node,
            @Value("${micronaut.server.port:8080}") int port,
            TransactionOperations<Connection> tx,
            JdbcOperations jdbc) {
        this.clustered = !bootstrap.isBlank();
        this.node = node.isBlank() ? ProcessHandle.current().pid() + ":" + port : node;
        this.tx = tx;
        this.jdbc = jdbc;
    }

    /**
     * Tells whether this node may run a round of job {@code name} now, taking or renewing the lease for {@code ttl}
     * (longer than the job's interval); false when another node holds it, or the database cannot say.
     */
    public boolean holds(String name, Duration ttl) {
        if (!clustered) {
            return true;
        }
        try {
            return tx.executeWrite(status -> jdbc.prepareStatement(
                    """
                    INSERT INTO cluster_lease AS l (name, owner, until) VALUES (?, ?, now() + ? * interval '1 ms')
                    ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
                        WHERE l.owner = EXCLUDED.owner OR l.until < now()
                    RETURNING owner""",
                    ps -> {
                        ps.setString(1, name);
                        ps.setString(2, node);
                        ps.setLong(3, ttl.toMillis());
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next();
                        }
                    }));
        } catch (RuntimeException e) {
            LOG.info("could not take the lease of {} ({}); skipping this round", name, e.toString());
            return false;
        }
    }
}
