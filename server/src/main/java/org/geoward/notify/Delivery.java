package org.geoward.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A notification as {@code GET /api/notifications} shows it.
 *
 * @param to IN_APP: the username; SMS: the phone, masked for roles that need not see it; WEBHOOK: the subscription
 */
@Serdeable
record Delivery(
        long id,
        String messageId,
        long alertId,
        ChannelKind channel,
        String to,
        String text,
        DeliveryStatus status,
        int attempts,
        @Nullable String lastError,
        Instant createdAt,
        @Nullable Instant sentAt,
        @Nullable Instant readAt) {}
