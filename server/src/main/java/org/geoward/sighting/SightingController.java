package org.geoward.sighting;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.geoward.audit.NotAudited;
import org.geoward.problem.ProblemException;

/** {@code POST /api/sightings}: one sighting or an array of up to 10,000, each accepted or rejected on its own. */
@NotAudited("device and camera ingest (machines, many a second), not a person's look or change")
@Controller("/api/sightings")
@Secured({"ADMIN", "DISPATCHER", "OFFICER"})
@Tag(name = "sightings", description = "Position reports of subjects")
final class SightingController {
    private final SightingService service;

    SightingController(SightingService service) {
        this.service = service;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Record sightings",
            description =
                    "One sighting object or an array of up to 10,000. Answers 202 once the good ones are stored"
                            + " (their alerts follow from the evaluation, within a second): {accepted, duplicates, rejected: [{index, error}]}. More than 10,000 is 413.")
    HttpResponse<RecordResult> record(@Nullable @Body @Schema(implementation = SightingsBody.class) byte[] body) {
        SightingBody.Items items = SightingBody.read(body);
        RecordResult result = service.record(items.sightings(), items.refused());
        if (result.accepted() == 0
                && result.duplicates() == 0
                && !result.rejected().isEmpty()
                && result.rejected().stream().allMatch(r -> SightingService.isPrivacyRefusal(r.error()))) {
            // nothing could be taken because the subjects may not be tracked: a refusal, not an accepted batch
            throw new ProblemException(
                    HttpStatus.FORBIDDEN,
                    String.join(
                            "; ",
                            new java.util.LinkedHashSet<>(result.rejected().stream()
                                    .map(RecordResult.Rejection::error)
                                    .toList())));
        }
        return HttpResponse.accepted().body(result);
    }
}
