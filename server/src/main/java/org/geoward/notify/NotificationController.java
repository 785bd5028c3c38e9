package org.geoward.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.util.List;
import org.geoward.account.Visibility;
import org.geoward.problem.ProblemException;

/**
 * The deliveries a user may see ({@code GET /api/notifications?alertId=&channel=}) and their in-app inbox
 * ({@code GET /api/notifications/unread}, {@code POST /api/notifications/{id}/read}).
 */
@Controller("/api/notifications")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
final class NotificationController {
    private final Deliveries deliveries;

    NotificationController(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    /** Deliveries of alerts the caller may see, newest first (at most 500). */
    @Get("{?alertId,channel}")
    List<Delivery> list(
            Authentication caller, @Nullable @QueryValue Long alertId, @Nullable @QueryValue String channel) {
        ChannelKind kind = null;
        if (channel != null && !channel.isBlank()) {
            try {
                kind = ChannelKind.valueOf(channel.trim());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("channel", "channel must be IN_APP, SMS or WEBHOOK");
            }
        }
        return deliveries.visibleTo(caller, alertId, kind);
    }

    /** The caller's in-app messages not yet marked read, newest first. */
    @Get("/unread")
    List<Delivery> unread(Authentication caller) {
        return deliveries.unread(requireUser(caller));
    }

    /** Marks one of the caller's in-app messages read: 204, or 404 when it is not theirs. */
    @Post("/{id}/read")
    HttpResponse<Void> read(Authentication caller, long id) {
        if (!deliveries.markRead(requireUser(caller), id)) {
            throw ProblemException.notFound("notification", id);
        }
        return HttpResponse.noContent();
    }

    private static long requireUser(Authentication caller) {
        Long userId = Visibility.userId(caller);
        if (userId == null) {
            throw ProblemException.notFound("user", caller.getName());
        }
        return userId;
    }
}
