package org.geoward.workorder;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.geoward.dispatch.AssignmentService;
import org.geoward.json.Json;
import org.geoward.json.JsonFields;
import org.geoward.json.JsonObject;
import org.geoward.problem.ProblemException;
import org.geoward.subject.CitizenReporter;

/**
 * The citizen report: {@code POST /citizen-reports} {@code {kind, lon, lat, note?}} needs no account. kind
 * CHILDREN_AT_WATER ("children at the water here") or PERSON_LOST ("a person who seems lost here") opens a work order
 * of category WATER_SAFETY or CARE (source CITIZEN) at the place the browser gave, and dispatch sends the officer
 * it would choose at once. Rate-limited per address ({@link CitizenRateLimit}): 429 with Retry-After. {@code GET
 * /report} is the phone page (report.html).
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
final class CitizenReportController {
    private final WorkOrderService service;
    private final AssignmentService assignments;
    private final CitizenRateLimit limit;
    private final CitizenReporter reporter;
    private final boolean dispatch;

    CitizenReportController(
            WorkOrderService service,
            AssignmentService assignments,
            CitizenRateLimit limit,
            CitizenReporter reporter,
            @Value("${geoward.citizen-reports.dispatch:true}") boolean dispatch) {
        this.service = service;
        this.assignments = assignments;
        this.limit = limit;
        this.reporter = reporter;
        this.dispatch = dispatch;
    }

    /** What a citizen is told: the reference number, and whether an officer is on the way. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Receipt(String reference, boolean officerSent) {}

    @Get("/report")
    HttpResponse<Void> page() {
        return HttpResponse.redirect(URI.create("/report.html"));
    }

    @Post("/citizen-reports")
    @Operation(
            summary = "A citizen's report without an account: {kind: CHILDREN_AT_WATER|PERSON_LOST, lon, lat, note?}")
    HttpResponse<Receipt> report(HttpRequest<?> request, @Body @Schema(implementation = JsonObject.class) String json) {
        JsonNode body = Json.body(json);
        Duration wait = limit.admit(request.getRemoteAddress().getAddress().getHostAddress());
        if (wait != null) {
            throw ProblemException.tooMany(
                    "Too many reports from this address; please try again in " + wait.toSeconds() + " s or call 110",
                    (int) Math.max(1, wait.toSeconds()));
        }
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest(null, "The body must be a JSON object");
        }
        String kind = JsonFields.requiredText(body, "kind", "kind");
        Category category =
                switch (kind) {
                    case "CHILDREN_AT_WATER" -> Category.WATER_SAFETY;
                    case "PERSON_LOST" -> Category.CARE;
                    default -> throw ProblemException.badRequest(
                            "kind", "kind must be CHILDREN_AT_WATER or PERSON_LOST");
                };
        double lon = coordinate(body, "lon", 180);
        double lat = coordinate(body, "lat", 90);
        String note = JsonFields.optionalText(body, "note", "note");
        if (note != null && note.length() > 500) {
            throw ProblemException.badRequest("note", "note must be at most 500 characters");
        }
        String description = ("CHILDREN_AT_WATER".equals(kind) ? "市民报告: 有儿童在水边" : "市民报告: 有人疑似走失")
                + (note == null || note.isBlank() ? "" : " · " + note.trim());
        WorkOrder order = service.report(
                new WorkOrderService.Report(
                        category, description, lon, lat, List.of(), reporter.id(), Source.CITIZEN, null),
                new WorkOrderService.Actor("citizen", false, null));
        boolean sent = dispatch
                && assignments
                        .assignNearest(Long.parseLong(order.id()), "citizen")
                        .isPresent();
        return HttpResponse.status(HttpStatus.CREATED).body(new Receipt(order.id(), sent));
    }

    private static double coordinate(JsonNode body, String name, double bound) {
        JsonNode value = body.get(name);
        if (value == null || !value.isNumber() || !(Math.abs(value.doubleValue()) <= bound)) {
            throw ProblemException.badRequest(
                    name,
                    name + " is required, in degrees between -" + (int) bound + " and " + (int) bound
                            + " (allow the page to use your location)");
        }
        return value.doubleValue();
    }
}
