package org.geoward.subject;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.geoward.json.Json;
import org.geoward.json.JsonFields;
import org.geoward.json.JsonObject;
import org.geoward.problem.ProblemException;

/**
 * {@code /api/units}: the officer units with their officers by status (staff), and, for an ADMIN, creating,
 * renaming, relabelling and deleting units and moving officers into one. Every change is audited like any other
 * ({@code audit/AuditFilter}). Errors are problem documents naming the field.
 */
@Controller("/api/units")
@Secured({"ADMIN", "DISPATCHER", "OFFICER"})
@Tag(name = "units", description = "Officer units (POLICE, FISHERIES, ...) and who belongs to them")
final class UnitController {
    private static final int MAX_LABEL = 100;

    private final Units units;

    UnitController(Units units) {
        this.units = units;
    }

    @Get
    @Operation(summary = "The units: configured first, then the others by name; each with its officers by status")
    List<Units.UnitInfo> list() {
        return units.list();
    }

    @Post
    @Secured("ADMIN")
    @Operation(summary = "Create a unit: {name: POLICE-like, label?}")
    HttpResponse<Units.UnitInfo> create(@Body @Schema(implementation = JsonObject.class) String json) {
        JsonNode body = Json.body(json);
        requireObject(body);
        String name = JsonFields.requiredText(body, "name", "name").trim();
        Units.UnitInfo created = units.create(name, label(body));
        return HttpResponse.created(created, URI.create("/api/units/" + created.name()));
    }

    @Put("/{name}")
    @Secured("ADMIN")
    @Operation(summary = "Rename a unit {name?} (its officers, work orders and grids follow) and/or relabel {label}")
    Units.UnitInfo update(@PathVariable String name, @Body @Schema(implementation = JsonObject.class) String json) {
        JsonNode body = Json.body(json);
        requireObject(body);
        String newName = JsonFields.isPresent(body, "name")
                ? JsonFields.requiredText(body, "name", "name").trim()
                : null;
        return units.update(name, newName, body.get("label") != null, label(body));
    }

    @Delete("/{name}")
    @Secured("ADMIN")
    @Operation(summary = "Delete a unit without officers (409 saying how many it still has)")
    HttpResponse<Void> delete(@PathVariable String name) {
        units.delete(name);
        return HttpResponse.noContent();
    }

    @Post("/{name}/officers")
    @Secured("ADMIN")
    @Operation(summary = "Move officers into the unit: {officerIds: [id]}")
    Units.UnitInfo move(@PathVariable String name, @Body @Schema(implementation = JsonObject.class) String json) {
        JsonNode body = Json.body(json);
        requireObject(body);
        JsonNode ids = body.get("officerIds");
        if (ids == null || !ids.isArray() || ids.size() == 0 || ids.size() > 500) {
            throw ProblemException.badRequest("officerIds", "officerIds must be an array of 1 to 500 officer ids");
        }
        List<Long> officerIds = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            officerIds.add(JsonFields.id(ids.get(i), "officerIds[" + i + "]"));
        }
        return units.move(name, officerIds);
    }

    private static String label(JsonNode body) {
        JsonNode label = body.get("label");
        if (label == null || label.isNull()) {
            return null;
        }
        if (!label.isTextual()
                || label.textValue().isBlank()
                || label.textValue().length() > MAX_LABEL) {
            throw ProblemException.badRequest(
                    "label", "label must be a text of 1 to " + MAX_LABEL + " characters, or null");
        }
        return label.textValue().trim();
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest(null, "The body must be a JSON object");
        }
    }
}
