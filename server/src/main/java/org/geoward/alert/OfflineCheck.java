package org.geoward.alert;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises OFFLINE for wards gone silent: every {@code geoward.offline.check-interval} (default 15 s) it finds the
 * WARDs whose last evaluated fix is older than their {@code offline_minutes} (default 30) and have no OFFLINE open in
 * their state, and runs {@code Evaluator.checkOffline} for each under the subject's lock. The ward's next fix
 * resolves the alert (outcome REPORTED).
 */
@Singleton
public class OfflineCheck {
    /** Silence after which a ward without its own {@code offline_minutes} is offline. */
    static final int DEFAULT_OFFLINE_MINUTES = 30;

    private static final Logger LOG = LoggerFactory.getLogger(OfflineCheck.class);

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;
    private final EvaluationService evaluation;

    OfflineCheck(JdbcOperations jdbc, TransactionOperations<Connection> tx, EvaluationService evaluation) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.evaluation = evaluation;
    }

    @Scheduled(
            fixedDelay = "${geoward.offline.check-interval:15s}",
            initialDelay = "${geoward.offline.check-interval:15s}")
    void run() {
        try {
            checkAll(Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("offline check failed; trying again at the next interval", e);
        }
    }

    /** Checks every ward against wall-clock time {@code now}; returns how many OFFLINE alerts opened. */
    public int checkAll(Instant now) {
        int opened = 0;
        for (Map.Entry<Long, Integer> ward : silentWards(now).entrySet()) {
            if (evaluation.checkOffline(ward.getKey(), ward.getValue(), now)) {
                opened++;
            }
        }
        return opened;
    }

    private Map<Long, Integer> silentWards(Instant now) {
        return tx.executeRead(status -> jdbc.prepareStatement(
                """
                SELECT st.subject_id, coalesce(s.offline_minutes, ?)
                FROM subject_state st JOIN subject s ON s.id = st.subject_id
                WHERE s.kind = 'WARD' AND st.last_fix_at IS NOT NULL
                  AND st.last_fix_at <= ?::timestamptz - make_interval(mins => coalesce(s.offline_minutes, ?))
                  AND NOT coalesce(st.state -> 'open' @> '[{"type": "OFFLINE"}]', false)
                ORDER BY st.last_fix_at""",
                ps -> {
                    ps.setInt(1, DEFAULT_OFFLINE_MINUTES);
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setInt(3, DEFAULT_OFFLINE_MINUTES);
                    Map<Long, Integer> wards = new LinkedHashMap<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            wards.put(rs.getLong(1), rs.getInt(2));
                        }
                    }
                    return wards;
                }));
    }
}
