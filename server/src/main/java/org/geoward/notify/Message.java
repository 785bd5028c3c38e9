package org.geoward.notify;

/**
 * One outbox row to send.
 *
 * @param id the notification id
 * @param messageId the stable id ({@code dedupe_key}) receivers use to drop repeats
 * @param recipient IN_APP: the user id; SMS: the phone; WEBHOOK: the subscription id
 * @param payloadJson the alert step as JSON (webhook body)
 * @param attempts attempts made before this one
 */
record Message(
        long id,
        String messageId,
        long alertId,
        ChannelKind channel,
        String recipient,
        String text,
        String payloadJson,
        int attempts) {}
