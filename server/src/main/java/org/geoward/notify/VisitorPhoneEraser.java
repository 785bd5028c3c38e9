package org.geoward.notify;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Duration;
import org.geoward.cluster.ClusterLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets visitors' phone numbers {@link NotifySettings#visitorPhoneDays} days after their last alert was resolved
 * (and only when none is still open): the subject's phone and the phones on their sightings are set to null. Runs
 * hourly.
 */
@Singleton
class VisitorPhoneEraser {
    private static final Logger LOG = LoggerFactory.getLogger(VisitorPhoneEraser.class);

    private final JdbcOperations jdbc;
    private final NotifySettings settings;
    private final ClusterLease lease;

    VisitorPhoneEraser(JdbcOperations jdbc, NotifySettings settings, ClusterLease lease) {
        this.lease = lease;
        this.jdbc = jdbc;
        this.settings = settings;
    }

    @Scheduled(fixedDelay = "${geoward.notify.phone-eraser-interval:1h}", initialDelay = "1m")
    void run() {
        if (!lease.holds("visitor-phone-eraser", Duration.ofHours(3))) {
            return; // another node of the cluster erases
        }
        int erased = erase();
        if (erased > 0) {
            LOG.info("Erased the phone numbers of {} visitors", erased);
        }
    }

    /** Erases the phones that are due; returns how many visitors lost theirs. */
    @Transactional
    int erase() {
        return jdbc.prepareStatement(
                """
                WITH due AS (
                    SELECT s.id FROM subject s
                    WHERE s.kind = 'VISITOR'
                      AND (s.phone IS NOT NULL
                           OR EXISTS (SELECT 1 FROM sighting si WHERE si.subject_id = s.id AND si.phone IS NOT NULL))
                      AND EXISTS (SELECT 1 FROM alert a WHERE a.subject_id = s.id)
                      AND NOT EXISTS (SELECT 1 FROM alert a WHERE a.subject_id = s.id
                                      AND (a.status <> 'RESOLVED' OR a.resolved_at > now() - make_interval(days => ?)))
                ), sightings AS (
                    UPDATE sighting si SET phone = NULL FROM due WHERE si.subject_id = due.id AND si.phone IS NOT NULL
                )
                UPDATE subject s SET phone = NULL FROM due WHERE s.id = due.id""",
                ps -> {
                    ps.setInt(1, settings.visitorPhoneDays());
                    return ps.executeUpdate();
                });
    }
}
