package org.geoward.dispatch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import java.time.Duration;
import java.time.Instant;
import org.geoward.audit.NotAudited;
import org.geoward.clock.QueryTimes;
import org.geoward.problem.ProblemException;

/**
 * {@code GET /api/reports/response-times?from=&to=&unit=}: JSON by default, CSV for {@code Accept: text/csv}.
 * {@code from} and {@code to} are ISO-8601 instants; without them, the last 30 days.
 */
@NotAudited("counts and durations per unit, no person")
@Controller("/api/reports")
@Secured({"ADMIN", "DISPATCHER"})
final class ReportController {
    static final String CSV = "text/csv";

    private final ResponseTimeReport report;

    ReportController(ResponseTimeReport report) {
        this.report = report;
    }

    @Get("/response-times")
    @Produces({MediaType.APPLICATION_JSON, CSV})
    HttpResponse<?> responseTimes(
            @Nullable @QueryValue String from,
            @Nullable @QueryValue String to,
            @Nullable @QueryValue String unit,
            @Nullable @Header(HttpHeaders.ACCEPT) String accept) {
        Instant until = QueryTimes.parse("to", to, Instant.now());
        Instant since = QueryTimes.parse("from", from, until.minus(Duration.ofDays(30)));
        if (!since.isBefore(until)) {
            throw ProblemException.badRequest("from", "from must be before to");
        }
        ResponseTimes times = report.compute(since, until, unit == null || unit.isBlank() ? null : unit);
        if (accept != null && accept.contains(CSV)) {
            return HttpResponse.ok(ResponseTimeReport.csv(times)).contentType(CSV + "; charset=utf-8");
        }
        return HttpResponse.ok(times).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
