package org.geoward.dispatch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.geoward.account.Visibility;
import org.geoward.problem.ProblemException;

/**
 * The dispatch endpoints of an alert: the nearest available officers, assignment (dispatchers), acceptance and
 * arrival (the assigned officer). Errors are problem documents: 404 no such alert or officer, 409 with the reason
 * when the alert or officer is not in a state for the step, 403 for somebody else's assignment.
 */
@Controller("/api/alerts/{id}")
@Secured({"ADMIN", "DISPATCHER", "OFFICER"})
final class DispatchController {
    private final AssignmentService assignments;
    private final Visibility visibility;

    DispatchController(AssignmentService assignments, Visibility visibility) {
        this.assignments = assignments;
        this.visibility = visibility;
    }

    /** The body of {@code POST /assign}: the officer to send; absent or null for the nearest available. */
    @Serdeable
    record AssignRequest(@Nullable String officerId) {}

    /**
     * The {@code limit} (1 to 100, default 5) available officers of the alert's unit, nearest first. 404 for an
     * officer when the alert is not of their task, as {@code GET /api/alerts/{id}}.
     */
    @Get("/nearest-officers")
    List<Candidate> nearestOfficers(
            @PathVariable long id, @QueryValue(defaultValue = "5") int limit, Authentication authentication) {
        if (limit < 1 || limit > 100) {
            throw ProblemException.badRequest("limit", "limit must be between 1 and 100, not " + limit);
        }
        if (visibility.isOutsideOfficersTask(authentication, id)) {
            throw ProblemException.notFound("alert", id);
        }
        return assignments.nearestOfficers(id, limit);
    }

    /** Assigns the alert to {@code officerId}, or to the nearest available officer without a body. */
    @Post("/assign")
    @Secured({"ADMIN", "DISPATCHER"})
    Assignment assign(@PathVariable long id, @Nullable @Body AssignRequest request, Authentication authentication) {
        Long officerId = null;
        if (request != null
                && request.officerId() != null
                && !request.officerId().isBlank()) {
            try {
                officerId = Long.valueOf(request.officerId().trim());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("officerId", "officerId must be an id, not " + request.officerId());
            }
        }
        return assignments.assign(id, officerId, authentication.getName());
    }

    /** The assigned officer accepts the alert. */
    @Post("/accept")
    Assignment accept(@PathVariable long id, Authentication authentication) {
        return assignments.accept(id, Caller.of(authentication));
    }

    /** The assigned officer (or a dispatcher, on the officer's word) records arrival. */
    @Post("/arrive")
    Assignment arrive(@PathVariable long id, Authentication authentication) {
        return assignments.arrive(id, Caller.of(authentication));
    }
}
