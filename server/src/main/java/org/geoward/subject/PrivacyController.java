package org.geoward.subject;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.geoward.json.Json;
import org.geoward.json.JsonObject;
import org.geoward.problem.ProblemException;

/**
 * A person's rights over their data (docs/privacy.md): the guardian's consent to a ward's tracking, the export of
 * everything about a person, and their erasure. ADMIN only: the operator answers a person's request. Every call is
 * in the audit trail like any other.
 */
@Controller("/api/subjects")
@Secured("ADMIN")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "privacy", description = "Consent, export and erasure of a person's data")
final class PrivacyController {
    static final String ZIP = "application/zip";

    private final SubjectService subjects;
    private final SubjectExport export;
    private final SubjectErasure erasure;

    PrivacyController(SubjectService subjects, SubjectExport export, SubjectErasure erasure) {
        this.subjects = subjects;
        this.export = export;
        this.erasure = erasure;
    }

    @Post("/{id}/consent")
    @Operation(
            summary = "Record a guardian's consent to tracking a ward",
            description = "Body {by, textVersion}: who consented and to which version of the consent text. A ward"
                    + " without consent on record is not tracked: its fixes are refused with 403.")
    Subject consent(@PathVariable String id, @Body @Schema(implementation = JsonObject.class) String json) {
        JsonNode body = Json.body(json);
        return subjects.consent(SubjectController.parseId(id), body);
    }

    @Delete("/{id}/consent")
    @Operation(summary = "Withdraw a ward's consent: its fixes are refused from now on")
    Subject withdrawConsent(@PathVariable String id) {
        return subjects.withdrawConsent(SubjectController.parseId(id));
    }

    @Get(value = "/{id}/export", produces = ZIP)
    @Operation(
            summary = "Export everything about a person",
            description = "A zip of subject.json, sightings.geojson, alerts.json, notifications.json and audit.json.")
    HttpResponse<byte[]> export(@PathVariable String id) {
        long subjectId = SubjectController.parseId(id);
        return HttpResponse.ok(export.export(subjectId))
                .contentType(ZIP)
                .header("Content-Disposition", "attachment; filename=\"subject-" + subjectId + ".zip\"");
    }

    @Delete("/{id}{?erase}")
    @Operation(
            summary = "Erase a person",
            description = "Only with erase=true: removes their fixes, positions, devices, name and phones; their"
                    + " alerts stay, anonymised. 204 when done.")
    HttpResponse<Void> erase(@PathVariable String id, @Nullable @QueryValue String erase) {
        long subjectId = SubjectController.parseId(id);
        if (!"true".equals(erase)) {
            throw ProblemException.badRequest(
                    "erase",
                    "a subject is never deleted, only erased: send DELETE /api/subjects/" + subjectId + "?erase=true"
                            + " to remove the person's fixes, devices, name and phone for good");
        }
        erasure.erase(subjectId);
        return HttpResponse.noContent();
    }
}
