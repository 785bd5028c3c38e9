package org.geoward.notify;

import io.micronaut.core.annotation.Nullable;
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
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
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

    private final WebhookSubscriptions subscriptions;

    WebhookController(WebhookSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Post
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
        Subscription created = subscriptions.create(url, secret);
        return HttpResponse.status(HttpStatus.CREATED).body(created);
    }

    @Get
    List<Subscription> list() {
        return subscriptions.active();
    }

    @Delete("/{id}")
    HttpResponse<Void> delete(long id) {
        if (!subscriptions.deactivate(id)) {
            throw ProblemException.notFound("webhook", id);
        }
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
