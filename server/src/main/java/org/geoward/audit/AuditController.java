package org.geoward.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.geoward.clock.QueryTimes;
import org.geoward.problem.ProblemException;

/** Reads the audit trail (ADMIN and AUDITOR): filtered, paged newest first, and verified end to end. */
@Controller("/api/audit")
@Secured({"ADMIN", "AUDITOR"})
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "audit", description = "Who looked at whom, and who changed what")
final class AuditController {
    private static final int MAX_LIMIT = 1_000;

    private final AuditQueries queries;

    AuditController(AuditQueries queries) {
        this.queries = queries;
    }

    @Get("{?subjectId,user,from,to,before,limit}")
    @Operation(
            summary = "List audit entries",
            description = "Newest first. Filters: subjectId (the person looked at or changed), user (username), from/to"
                    + " (ISO-8601 on the time of the request), before (an entry id: the page after it, from 'next'),"
                    + " limit (default 100, at most 1,000).")
    AuditEntry.Page list(
            @Nullable @QueryValue String subjectId,
            @Nullable @QueryValue String user,
            @Nullable @QueryValue String from,
            @Nullable @QueryValue String to,
            @Nullable @QueryValue String before,
            @Nullable @QueryValue String limit) {
        int max = (int) number("limit", limit, 100);
        if (max < 1 || max > MAX_LIMIT) {
            throw ProblemException.badRequest("limit", "limit must be from 1 to " + MAX_LIMIT + ", not " + limit);
        }
        return queries.page(new AuditQueries.Filter(
                subjectId == null ? null : number("subjectId", subjectId, 0),
                user == null || user.isBlank() ? null : user.trim(),
                QueryTimes.parse("from", from),
                QueryTimes.parse("to", to),
                before == null ? null : number("before", before, 0),
                max));
    }

    @Get("/verify")
    @Operation(
            summary = "Verify the audit trail's hash chain",
            description =
                    "Recomputes every row's hash from its content and the previous row's hash, and checks that"
                            + " the ids have no gap and that the head matches the last row. intact=false names the first break.")
    AuditEntry.Verification verify() {
        return queries.verify();
    }

    private static long number(String field, String value, long absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(field, field + " must be a whole number, not '" + value + "'");
        }
    }
}
