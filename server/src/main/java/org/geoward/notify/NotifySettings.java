package org.geoward.notify;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Delivery settings under {@code geoward.notify}.
 *
 * @param maxAttempts attempts before a message is marked FAILED ({@code max-attempts}, default 8)
 * @param backoffBase wait after the first failure; doubled after each further one ({@code backoff-base}, 1s)
 * @param backoffCap the longest wait between attempts ({@code backoff-cap}, 5m)
 * @param batchSize messages sent per poll at most ({@code batch-size}, 50)
 * @param smsQuietHours hours during which a phone gets no second LOITER warning ({@code sms-quiet-hours}, 24)
 * @param visitorPhoneDays days after a visitor's last alert closed before their phone is erased
 *     ({@code visitor-phone-days}, 30)
 * @param webhookTimeout how long a webhook receiver may take to answer ({@code webhook-timeout}, 10s)
 * @param sender the CAP {@code sender} of this deployment ({@code sender}, geoward@localhost)
 * @param workers delivery threads, each polling the outbox on its own, so one slow receiver holds up only one
 *     ({@code workers}, 4)
 * @param pollInterval how often an idle delivery thread looks for due messages ({@code poll-interval}, 1s)
 * @param language the language messages are written in, zh-CN or en ({@code language}, zh-CN); a template missing
 *     in it falls back to zh-CN
 */
@ConfigurationProperties("geoward.notify")
public record NotifySettings(
        @Bindable(defaultValue = "8") int maxAttempts,
        @Bindable(defaultValue = "1s") Duration backoffBase,
        @Bindable(defaultValue = "5m") Duration backoffCap,
        @Bindable(defaultValue = "50") int batchSize,
        @Bindable(defaultValue = "24") int smsQuietHours,
        @Bindable(defaultValue = "30") int visitorPhoneDays,
        @Bindable(defaultValue = "10s") Duration webhookTimeout,
        @Bindable(defaultValue = "geoward@localhost") String sender,
        @Bindable(defaultValue = "4") int workers,
        @Bindable(defaultValue = "1s") Duration pollInterval,
        @Bindable(defaultValue = "zh-CN") String language) {

    /** The wait before attempt {@code attempts + 1}, after {@code attempts} failures: base·2^(attempts−1), capped. */
    Duration backoffAfter(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration wait = backoffBase.multipliedBy(1L << doublings);
        return wait.compareTo(backoffCap) > 0 ? backoffCap : wait;
    }
}
