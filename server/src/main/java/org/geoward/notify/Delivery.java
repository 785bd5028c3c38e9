package org.geoward.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A notification as {@code GET /api/notifications} shows it.
 *
 * @param to IN_APP: the username; SMS: the phone, masked for roles that need not see it; WEBHOOK: the subscription
 * @param alertType the type of the alert it is about (WANDER, …), or null for a message without one
 * @param action the alert's step that caused it (OPENED, RESOLVED, …), or null
 * @param outcome for a message caused by the RESOLVED step, the outcome (RETURNED: the "back home" message); else null
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
        @Nullable Instant readAt,
        @Nullable String alertType,
        @Nullable String action,
        @Nullable String outcome) {}
