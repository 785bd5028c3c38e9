package org.geoward.grid;

import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.geoward.account.Visibility;
import org.geoward.json.Json;
import org.geoward.json.JsonObject;
import org.geoward.problem.ProblemException;

/**
 * The city's grids: GRID fences (their shapes come from {@code /api/fences}) with responsible officers and open
 * items. Staff read; an OFFICER sees every open item of a grid they belong to and elsewhere only the alerts of their
 * task ({@link Visibility#officerGridItems}). ADMIN and DISPATCHER import grids and set their officers.
 */
@Controller("/api/grids")
@Secured({"ADMIN", "DISPATCHER", "OFFICER"})
@Tag(name = "grids", description = "Grid cells, their responsible officers (5+X roles) and open items")
final class GridController {
    private final GridService grids;
    private final GridImport importer;
    private final Visibility visibility;

    GridController(GridService grids, GridImport importer, Visibility visibility) {
        this.grids = grids;
        this.importer = importer;
        this.visibility = visibility;
    }

    @Get
    @Operation(summary = "Every grid with its unit, officers and open items")
    List<Grid> list(Authentication authentication) {
        return grids.list(visibility.officerGridItems(authentication));
    }

    @Get("/{id}")
    @Operation(summary = "One grid with its unit, officers and open items")
    Grid find(@PathVariable String id, Authentication authentication) {
        return grids.find(parseId(id), visibility.officerGridItems(authentication));
    }

    @Put("/{id}/officers")
    @Secured({"ADMIN", "DISPATCHER"})
    @Operation(summary = "Replace the grid's officers with [{officerId, role}]")
    Grid replaceOfficers(
            @PathVariable String id, @Body @Schema(implementation = GridOfficersBody.class) String officers) {
        return grids.replaceOfficers(parseId(id), Json.body(officers));
    }

    @Post("/import")
    @Secured({"ADMIN", "DISPATCHER"})
    @Operation(summary = "Import grid cells from a GeoJSON FeatureCollection (properties name, unit, officers)")
    GridImport.Result importGrids(@Body @Schema(implementation = JsonObject.class) String collection) {
        return importer.run(Json.body(collection));
    }

    private static long parseId(String id) {
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // not found below
        }
        throw ProblemException.notFound("grid", id);
    }
}
