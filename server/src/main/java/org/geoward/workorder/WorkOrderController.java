package org.geoward.workorder;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.transaction.TransactionOperations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.geoward.json.Json;
import org.geoward.json.JsonFields;
import org.geoward.json.JsonObject;
import org.geoward.problem.ProblemException;
import org.geoward.security.Role;

/**
 * Work orders: report, list, read with the timeline, and the steps of the loop. Staff only; analysing, ordering to
 * a unit and raising from an alert are for ADMIN and DISPATCHER; follow-up and feedback also for the assigned
 * officer; evaluation for a dispatcher or the reporter. Errors are problem documents naming the field.
 */
@Controller
@Secured({"ADMIN", "DISPATCHER", "OFFICER"})
@Tag(name = "work orders", description = "Issues as work orders on the alert lifecycle: found → evaluated")
final class WorkOrderController {
    private static final int MAX_PHOTOS = 10;

    private final WorkOrderService service;
    private final WorkOrderRepository orders;
    private final TransactionOperations<Connection> tx;

    WorkOrderController(WorkOrderService service, WorkOrderRepository orders, TransactionOperations<Connection> tx) {
        this.service = service;
        this.orders = orders;
        this.tx = tx;
    }

    @Post("/api/work-orders")
    @Operation(summary = "Report an issue: {category, description, lon, lat, photos: [url], subjectId?}")
    HttpResponse<WorkOrder> report(@Body @Schema(implementation = JsonObject.class) String json, Authentication auth) {
        JsonNode body = Json.body(json);
        requireObject(body);
        Category category = JsonFields.requiredEnum(body, "category", "category", Category.class);
        String description = JsonFields.optionalText(body, "description", "description");
        double lon = coordinate(body, "lon", 180);
        double lat = coordinate(body, "lat", 90);
        List<String> photos = photos(body);
        Long subjectId =
                JsonFields.isPresent(body, "subjectId") ? JsonFields.id(body.get("subjectId"), "subjectId") : null;
        WorkOrderService.Actor actor = actor(auth);
        Source source = auth.getRoles().contains(Role.OFFICER.name()) ? Source.APP : Source.DISPATCHER;
        WorkOrder order = service.report(
                new WorkOrderService.Report(category, description, lon, lat, photos, subjectId, source, null), actor);
        return HttpResponse.created(order, URI.create("/api/work-orders/" + order.id()));
    }

    @Post("/api/alerts/{id}/work-order")
    @Secured({"ADMIN", "DISPATCHER"})
    @Operation(summary = "Raise a work order from an alert: {category, description?}")
    HttpResponse<WorkOrder> fromAlert(
            @PathVariable long id, @Body @Schema(implementation = JsonObject.class) String json, Authentication auth) {
        JsonNode body = Json.body(json);
        requireObject(body);
        Category category = JsonFields.requiredEnum(body, "category", "category", Category.class);
        WorkOrder order = service.fromAlert(
                id, category, JsonFields.optionalText(body, "description", "description"), actor(auth));
        return HttpResponse.created(order, URI.create("/api/work-orders/" + order.id()));
    }

    @Get("/api/work-orders")
    @Operation(summary = "Work orders, newest first; ?status=&unit=&gridId=&limit= (1-500, default 100)")
    List<WorkOrder> list(
            @Nullable @QueryValue String status,
            @Nullable @QueryValue String unit,
            @Nullable @QueryValue Long gridId,
            @QueryValue(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 500) {
            throw ProblemException.badRequest("limit", "limit must be between 1 and 500, not " + limit);
        }
        String s = status == null ? null : status.trim().toUpperCase(Locale.ROOT);
        if (s != null
                && !List.of("OPEN", "ACKNOWLEDGED", "DISPATCHED", "RESOLVED").contains(s)) {
            throw ProblemException.badRequest(
                    "status", "status must be OPEN, ACKNOWLEDGED, DISPATCHED or RESOLVED, not " + status);
        }
        return tx.executeRead(x -> orders.list(s, unit, gridId, limit));
    }

    @Get("/api/work-orders/{id}")
    @Operation(summary = "One work order with its timeline")
    WorkOrder find(@PathVariable long id) {
        return tx.executeRead(x -> orders.load(id));
    }

    @Post("/api/work-orders/{id}/analysis")
    @Secured({"ADMIN", "DISPATCHER"})
    @Operation(summary = "Analyse: {category?, severity}")
    WorkOrder analyse(
            @PathVariable long id, @Body @Schema(implementation = JsonObject.class) String json, Authentication auth) {
        JsonNode body = Json.body(json);
        requireObject(body);
        return service.analyse(
                id,
                JsonFields.optionalEnum(body, "category", "category", Category.class),
                JsonFields.requiredEnum(body, "severity", "severity", Severity.class),
                actor(auth));
    }

    @Post("/api/work-orders/{id}/order")
    @Secured({"ADMIN", "DISPATCHER"})
    @Operation(summary = "Order to a unit: {unit}; to an officer: POST /api/alerts/{id}/assign")
    WorkOrder order(
            @PathVariable long id, @Body @Schema(implementation = JsonObject.class) String json, Authentication auth) {
        JsonNode body = Json.body(json);
        requireObject(body);
        String unit = JsonFields.requiredText(body, "unit", "unit").trim();
        if (!unit.matches("[A-Z][A-Z0-9_-]{0,31}")) {
            throw ProblemException.badRequest("unit", "unit '" + unit + "' is not a unit name (e.g. POLICE)");
        }
        return service.order(id, unit, actor(auth));
    }

    @Post("/api/work-orders/{id}/follow-up")
    @Operation(summary = "Follow up: {note}")
    WorkOrder followUp(
            @PathVariable long id, @Body @Schema(implementation = JsonObject.class) String json, Authentication auth) {
        JsonNode body = Json.body(json);
        requireObject(body);
        return service.followUp(id, JsonFields.requiredText(body, "note", "note"), actor(auth));
    }

    @Post("/api/work-orders/{id}/feedback")
    @Operation(summary = "Answer with the result: {result, photo?}; resolves the work order")
    WorkOrder feedback(
            @PathVariable long id, @Body @Schema(implementation = JsonObject.class) String json, Authentication auth) {
        JsonNode body = Json.body(json);
        requireObject(body);
        String photo = JsonFields.optionalText(body, "photo", "photo");
        if (photo != null) {
            checkUrl(photo, "photo");
        }
        return service.feedback(id, JsonFields.requiredText(body, "result", "result"), photo, actor(auth));
    }

    @Post("/api/work-orders/{id}/evaluation")
    @Operation(summary = "Evaluate: {rating: 1-5, comment?}")
    WorkOrder evaluate(
            @PathVariable long id, @Body @Schema(implementation = JsonObject.class) String json, Authentication auth) {
        JsonNode body = Json.body(json);
        requireObject(body);
        JsonNode rating = body.get("rating");
        if (rating == null
                || !rating.isNumber()
                || rating.doubleValue() != Math.rint(rating.doubleValue())
                || rating.intValue() < 1
                || rating.intValue() > 5) {
            throw ProblemException.badRequest("rating", "rating must be a whole number from 1 to 5");
        }
        return service.evaluate(
                id, rating.intValue(), JsonFields.optionalText(body, "comment", "comment"), actor(auth));
    }

    static WorkOrderService.Actor actor(Authentication auth) {
        boolean dispatcher =
                auth.getRoles().contains(Role.ADMIN.name()) || auth.getRoles().contains(Role.DISPATCHER.name());
        Object subject = auth.getAttributes().get("subjectId");
        Long subjectId = subject instanceof Number n ? Long.valueOf(n.longValue()) : null;
        if (subject instanceof String s && !s.isBlank()) {
            subjectId = Long.valueOf(s);
        }
        return new WorkOrderService.Actor(auth.getName(), dispatcher, subjectId);
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest(null, "The body must be a JSON object");
        }
    }

    private static double coordinate(JsonNode body, String name, double bound) {
        JsonNode value = body.get(name);
        if (value == null || !value.isNumber()) {
            throw ProblemException.badRequest(name, name + " is required, in degrees (WGS 84)");
        }
        double v = value.doubleValue();
        if (!(Math.abs(v) <= bound)) {
            throw ProblemException.badRequest(name, name + " must be between -" + (int) bound + " and " + (int) bound);
        }
        return v;
    }

    private static List<String> photos(JsonNode body) {
        JsonNode photos = body.get("photos");
        if (photos == null || photos.isNull()) {
            return List.of();
        }
        if (!photos.isArray() || photos.size() > MAX_PHOTOS) {
            throw ProblemException.badRequest("photos", "photos must be an array of at most " + MAX_PHOTOS + " URLs");
        }
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            JsonNode p = photos.get(i);
            String field = "photos[" + i + "]";
            if (p == null || !p.isTextual()) {
                throw ProblemException.badRequest(field, field + " must be a URL string");
            }
            checkUrl(p.textValue(), field);
            urls.add(p.textValue());
        }
        return urls;
    }

    private static void checkUrl(String url, String field) {
        if (url.length() > 2000 || !(url.startsWith("https://") || url.startsWith("http://") || url.startsWith("/"))) {
            throw ProblemException.badRequest(
                    field, field + " must be an http(s) URL or a path on this server, at most 2000 characters");
        }
    }
}
