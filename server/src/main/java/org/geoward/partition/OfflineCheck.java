package org.geoward.partition;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.geoward.evaluate.AlertType;
import org.geoward.evaluate.SubjectCategory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises OFFLINE for wards gone silent: every {@code geoward.offline.check-interval} (default 15 s) it reads every
 * WARD's {@code offline_minutes} (default 30), of the wards whose category takes OFFLINE, and lets each evaluation partition run {@code Evaluator.checkOffline}
 * on its wards' in-memory last-seen times, in order with their fixes. The ward's next fix resolves the alert
 * (outcome REPORTED).
 */
@Singleton
public class OfflineCheck {
    /** Silence after which a ward without its own {@code offline_minutes} is offline. */
    static final int DEFAULT_OFFLINE_MINUTES = 30;

    /** The categories whose wards take OFFLINE ({@link SubjectCategory#applies}: a MINOR's silence is no alert). */
    private static final String[] OFFLINE_CATEGORIES =
            SubjectCategory.taking(AlertType.OFFLINE).stream().map(Enum::name).toArray(String[]::new);

    private static final Logger LOG = LoggerFactory.getLogger(OfflineCheck.class);

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;
    private final PartitionedEvaluation evaluation;

    OfflineCheck(JdbcOperations jdbc, TransactionOperations<Connection> tx, PartitionedEvaluation evaluation) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.evaluation = evaluation;
    }

    @Scheduled(
            fixedDelay = "${geoward.offline.check-interval:15s}",
            initialDelay = "${geoward.offline.check-interval:15s}")
    void run() {
        if (!evaluation.isReady()) {
            return;
        }
        try {
            checkAll(Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("offline check failed; trying again at the next interval", e);
        }
    }

    /** Checks every ward against wall-clock time {@code now}; returns how many OFFLINE alerts opened. */
    public int checkAll(Instant now) {
        return evaluation.checkOffline(wards(), now);
    }

    private Map<Long, Integer> wards() {
        return tx.executeRead(status -> jdbc.prepareStatement(
                """
                SELECT id, coalesce(offline_minutes, ?) FROM subject
                WHERE kind = 'WARD' AND coalesce(category, 'DEMENTIA') = ANY(?)""",
                ps -> {
                    ps.setInt(1, DEFAULT_OFFLINE_MINUTES);
                    ps.setArray(2, ps.getConnection().createArrayOf("text", OFFLINE_CATEGORIES));
                    Map<Long, Integer> wards = new HashMap<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            wards.put(rs.getLong(1), rs.getInt(2));
                        }
                    }
                    return wards;
                }));
    }
}
