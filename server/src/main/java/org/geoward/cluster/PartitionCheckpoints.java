package org.geoward.cluster;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of {@code cluster_checkpoint}: adopting a partition increments its epoch, so a checkpoint by the node that
 * had it before (presumed dead, yet still running) is refused (the evaluation writes checkpoints under its epoch).
 */
@Singleton
@Requires(bean = KafkaSettings.class)
class PartitionCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionCheckpoints.class);

    private final KafkaSettings settings;
    private final TransactionOperations<Connection> tx;
    private final JdbcOperations jdbc;

    PartitionCheckpoints(KafkaSettings settings, TransactionOperations<Connection> tx, JdbcOperations jdbc) {
        this.settings = settings;
        this.tx = tx;
        this.jdbc = jdbc;
    }

    /** What adopting a partition found: where to resume, the epoch now this node's, who had it before. */
    record Adopted(long nextOffset, long epoch, String previousOwner) {}

    /** Adopts {@code partition} for this node; retries while the database is away and {@code keepTrying} holds. */
    Adopted adopt(int partition, BooleanSupplier keepTrying) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.executeWrite(status -> adoptOnce(partition));
            } catch (RuntimeException e) {
                if (!keepTrying.getAsBoolean()) {
                    throw e;
                }
                long pause = Math.min(5_000, 100L * attempt);
                LOG.warn("adopting partition {} failed ({}); again in {} ms", partition, e.toString(), pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private Adopted adoptOnce(int partition) {
        return jdbc.prepareStatement(
                """
                WITH before AS (SELECT owner FROM cluster_checkpoint WHERE topic = ? AND partition = ? FOR UPDATE)
                INSERT INTO cluster_checkpoint AS c (topic, partition, partitions, next_offset, epoch, owner)
                VALUES (?, ?, ?, 0, 1, ?)
                ON CONFLICT (topic, partition) DO UPDATE
                    SET epoch = c.epoch + 1, owner = EXCLUDED.owner, updated_at = now()
                RETURNING next_offset, epoch, (SELECT owner FROM before)""",
                ps -> {
                    ps.setString(1, settings.topic());
                    ps.setInt(2, partition);
                    ps.setString(3, settings.topic());
                    ps.setInt(4, partition);
                    ps.setInt(5, settings.partitions());
                    ps.setString(6, settings.node());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new Adopted(rs.getLong(1), rs.getLong(2), rs.getString(3));
                    }
                });
    }
}
