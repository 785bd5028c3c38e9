package org.geoward.notify;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Instant;

/**
 * Webhooks: POSTs the alert step as JSON to the subscription's URL with {@code X-Geoward-Id} (the stable message id),
 * {@code X-Geoward-Timestamp} (epoch seconds) and {@code X-Geoward-Signature} ({@link WebhookSignature}). A 2xx answer
 * is a delivery; anything else, or no answer within {@code geoward.notify.webhook-timeout}, is retried.
 */
@Singleton
final class WebhookChannel implements Channel {
    private final JdbcOperations jdbc;
    private final NotifySettings settings;
    private final HttpClient client;

    WebhookChannel(JdbcOperations jdbc, NotifySettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.webhookTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.WEBHOOK;
    }

    @Override
    public void send(Message message) throws DeliveryException {
        Subscription subscription = subscription(Long.parseLong(message.recipient()));
        if (subscription == null) {
            throw new DeliveryException("webhook subscription " + message.recipient() + " was deleted");
        }
        long timestamp = Instant.now().getEpochSecond();
        String body = message.payloadJson();
        HttpRequest request = HttpRequest.newBuilder(URI.create(subscription.url()))
                .timeout(settings.webhookTimeout())
                .header("Content-Type", "application/json")
                .header("X-Geoward-Id", message.messageId())
                .header("X-Geoward-Timestamp", Long.toString(timestamp))
                .header("X-Geoward-Signature", WebhookSignature.sign(subscription.secret(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new DeliveryException("receiver answered " + response.statusCode() + ": "
                        + HttpSmsGateway.abbreviate(response.body()));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new DeliveryException("receiver unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted", e);
        }
    }

    private record Subscription(String url, String secret) {}

    private Subscription subscription(long id) {
        return jdbc.prepareStatement("SELECT url, secret FROM webhook_subscription WHERE id = ?", ps -> {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Subscription(rs.getString(1), rs.getString(2)) : null;
            }
        });
    }
}
