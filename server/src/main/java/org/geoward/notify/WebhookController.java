package org.geoward.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.geoward.problem.ProblemException;

/**
 * Webhook subscriptions, for admins: {@code POST /api/webhooks} {@code {url, secret?}} → 201 with the secret (generated
 * when not given; shown only here), {@code GET /api/webhooks} (without secrets), {@code DELETE /api/webhooks/{id}}
 * (its undelivered messages are marked FAILED). Every alert step is then POSTed to each subscription.
 */
@Controller("/api/webhooks")
@Secured("ADMIN")
@ExecuteOn(TaskExecutors.BLOCKING)
class WebhookController {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The body of {@code POST /api/webhooks}. */
    @Serdeable
    record Draft(@Nullable String url, @Nullable String secret) {}

    /** A subscription; {@code secret} only in the answer to its creation. */
    @Serdeable
    record Subscription(long id, String url, @Nullable String secret, boolean active, Instant createdAt) {}

    private final JdbcOperations jdbc;

    WebhookController(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Post
    @Transactional
    HttpResponse<Subscription> create(@Body Draft draft) {
        String url = checkUrl(draft.url());
        String secret = draft.secret();
        if (secret == null || secret.isBlank()) {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            secret = HexFormat.of().formatHex(key);
        } else if (secret.length() < 16) {
            throw ProblemException.badRequest("secret", "secret must have at least 16 characters");
        }
        String chosen = secret;
        Subscription created = jdbc.prepareStatement(
                "INSERT INTO webhook_subscription (url, secret) VALUES (?, ?) RETURNING id, created_at", ps -> {
                    ps.setString(1, url);
                    ps.setString(2, chosen);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new Subscription(
                                rs.getLong(1),
                                url,
                                chosen,
                                true,
                                rs.getTimestamp(2).toInstant());
                    }
                });
        return HttpResponse.status(HttpStatus.CREATED).body(created);
    }

    @Get
    @Transactional
    List<Subscription> list() {
        return jdbc.prepareStatement(
                "SELECT id, url, active, created_at FROM webhook_subscription WHERE active ORDER BY id", ps -> {
                    List<Subscription> found = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.add(new Subscription(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    null,
                                    rs.getBoolean(3),
                                    rs.getTimestamp(4).toInstant()));
                        }
                    }
                    return found;
                });
    }

    @Delete("/{id}")
    @Transactional
    HttpResponse<Void> delete(long id) {
        int changed =
                jdbc.prepareStatement("UPDATE webhook_subscription SET active = false WHERE id = ? AND active", ps -> {
                    ps.setLong(1, id);
                    return ps.executeUpdate();
                });
        if (changed == 0) {
            throw ProblemException.notFound("webhook", id);
        }
        jdbc.prepareStatement(
                """
                UPDATE notification SET status = 'FAILED', last_error = 'subscription deleted'
                WHERE channel = 'WEBHOOK' AND recipient = ? AND status = 'PENDING'""",
                ps -> {
                    ps.setString(1, Long.toString(id));
                    return ps.executeUpdate();
                });
        return HttpResponse.noContent();
    }

    private static String checkUrl(String url) {
        try {
            URI uri = URI.create(url == null ? "" : url.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri.toString();
            }
        } catch (IllegalArgumentException e) {
            // falls through to the 400
        }
        throw ProblemException.badRequest("url", "url must be an absolute http:// or https:// URL");
    }
}
