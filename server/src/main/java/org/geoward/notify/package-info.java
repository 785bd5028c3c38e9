/**
 * Notifications: the outbox that a trigger on {@code alert_event} fills (V5__notify.sql), the delivery worker that
 * sends it through one {@link org.geoward.notify.Channel} per medium (in-app, SMS, webhook) with retries, webhook
 * subscriptions, phone helpers, and CAP 1.2 documents of alerts.
 */
package org.geoward.notify;
