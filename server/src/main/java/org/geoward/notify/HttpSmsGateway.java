package org.geoward.notify;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Calls an SMS provider's HTTP API the way most Chinese providers are called: a POST to {@code geoward.sms.http.url}
 * whose body is {@code geoward.sms.http.body-template} with {@code {phone}}, {@code {text}} and {@code {id}} filled in
 * (JSON-escaped for a JSON content type, URL-encoded for a form), sent as {@code geoward.sms.http.content-type}
 * (default {@code application/json}). A 2xx answer means accepted. Thread-safe.
 */
@Singleton
@Requires(property = "geoward.sms.gateway", value = "http")
final class HttpSmsGateway implements SmsGateway {
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI url;
    private final String bodyTemplate;
    private final String contentType;

    HttpSmsGateway(
            @Value("${geoward.sms.http.url}") String url,
            @Value("${geoward.sms.http.body-template:`{\"phone\":\"{phone}\",\"text\":\"{text}\",\"id\":\"{id}\"}`}")
                    String bodyTemplate,
            @Value("${geoward.sms.http.content-type:application/json}") String contentType) {
        this.url = URI.create(url);
        this.bodyTemplate = bodyTemplate;
        this.contentType = contentType;
    }

    @Override
    public void send(String messageId, String phone, String text) throws DeliveryException {
        String body = bodyTemplate
                .replace("{phone}", escape(phone))
                .replace("{text}", escape(text))
                .replace("{id}", escape(messageId));
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new DeliveryException(
                        "SMS gateway answered " + response.statusCode() + ": " + abbreviate(response.body()));
            }
        } catch (IOException e) {
            throw new DeliveryException("SMS gateway unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted", e);
        }
    }

    private String escape(String value) {
        if (contentType.contains("json")) {
            return new String(JsonStringEncoder.getInstance().quoteAsString(value));
        }
        if (contentType.contains("x-www-form-urlencoded")) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
        return value;
    }

    static String abbreviate(String text) {
        return text == null || text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
