package org.geoward.notify;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import org.geoward.lease.ClusterLease;
import org.geoward.sighting.SightingDeletion;
import org.geoward.subject.VisitorPhones;
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

    private final VisitorPhones visitorPhones;
    private final SightingDeletion sightings;
    private final NotifySettings settings;
    private final ClusterLease lease;

    VisitorPhoneEraser(
            VisitorPhones visitorPhones, SightingDeletion sightings, NotifySettings settings, ClusterLease lease) {
        this.lease = lease;
        this.sightings = sightings;
        this.visitorPhones = visitorPhones;
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
        List<Long> visitors = visitorPhones.eraseAfterLastAlert(settings.visitorPhoneDays());
        if (!visitors.isEmpty()) {
            sightings.forgetPhonesOf(visitors);
        }
        return visitors.size();
    }
}
