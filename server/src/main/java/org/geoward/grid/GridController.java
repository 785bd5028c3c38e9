package org.geoward.grid;

import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.geoward.problem.ProblemException;

/**
 * The city's grids: GRID fences (their shapes come from {@code /api/fences}) with responsible officers and open
 * items. Staff read; ADMIN and DISPATCHER import grids and set their officers.
 */
@Controller("/api/grids")
@Secured({"ADMIN", "DISPATCHER", "OFFICER"})
@Tag(name = "grids", description = "Grid cells, their responsible officers (5+X roles) and open items")
final class GridController {
    private final GridService grids;
    private final GridImport importer;

    GridController(GridService grids, GridImport importer) {
        this.grids = grids;
        this.importer = importer;
    }

    @Get
    @Operation(summary = "Every grid with its unit, officers and open items")
    List<Grid> list() {
        return grids.list();
    }

    @Get("/{id}")
    @Operation(summary = "One grid with its unit, officers and open items")
    Grid find(@PathVariable String id) {
        return grids.find(parseId(id));
    }

    @Put("/{id}/officers")
    @Secured({"ADMIN", "DISPATCHER"})
    @Operation(summary = "Replace the grid's officers with [{officerId, role}]")
    Grid replaceOfficers(@PathVariable String id, @Body JsonNode officers) {
        return grids.replaceOfficers(parseId(id), officers);
    }

    @Post("/import")
    @Secured({"ADMIN", "DISPATCHER"})
    @Operation(summary = "Import grid cells from a GeoJSON FeatureCollection (properties name, unit, officers)")
    GridImport.Result importGrids(@Body JsonNode collection) {
        return importer.run(collection);
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
