package org.geoward.importer;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.geoward.problem.ProblemException;

/** {@code GET /api/imports}: the running and recently finished track imports, with their progress. */
@Controller("/api/imports")
@Secured({"ADMIN", "DISPATCHER"})
@Tag(name = "sightings")
final class ImportRunController {
    private final ImportRuns runs;

    ImportRunController(ImportRuns runs) {
        this.runs = runs;
    }

    @Get
    @Operation(summary = "Running and recent track imports, newest first, with points read, stored and rejected")
    List<ImportRun.View> list() {
        return runs.list().stream().map(ImportRun::view).toList();
    }

    @Get("/{id}")
    @Operation(summary = "One track import's progress")
    ImportRun.View show(@PathVariable String id) {
        try {
            return runs.find(Long.parseLong(id))
                    .map(ImportRun::view)
                    .orElseThrow(() -> ProblemException.notFound("import", id));
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("import", id);
        }
    }
}
