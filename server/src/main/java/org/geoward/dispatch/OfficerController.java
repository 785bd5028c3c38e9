package org.geoward.dispatch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Locale;
import org.geoward.problem.ProblemException;
import org.geoward.subject.OfficerStatus;

/** {@code GET /api/officers} and {@code PUT /api/officers/{id}/status}. */
@Controller("/api/officers")
@Secured({"ADMIN", "DISPATCHER", "OFFICER"})
final class OfficerController {
    private final OfficerRepository officers;

    OfficerController(OfficerRepository officers) {
        this.officers = officers;
    }

    /** The body of {@code PUT /status}. */
    @Serdeable
    record StatusChange(@Nullable String status) {}

    /** Every officer with unit, status and last fix; {@code unit} and {@code status} filter. */
    @Get
    List<Officer> list(@Nullable @QueryValue String unit, @Nullable @QueryValue String status) {
        return officers.list(unit, status == null ? null : parse(status, "status"));
    }

    /** Sets an officer's status: dispatchers for anyone, an officer for themselves. */
    @Put("/{id}/status")
    Officer setStatus(@PathVariable long id, @Body StatusChange change, Authentication authentication) {
        Caller.of(authentication).requireDispatcherOr(id, "can change the status of officer " + id);
        if (change.status() == null) {
            throw ProblemException.badRequest("status", "status is required: AVAILABLE, BUSY or OFF_DUTY");
        }
        return officers.setStatus(id, parse(change.status(), "status"));
    }

    private static OfficerStatus parse(String text, String field) {
        try {
            return OfficerStatus.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field, field + " must be AVAILABLE, BUSY or OFF_DUTY, not " + text);
        }
    }
}
