package org.geoward.subject;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.geoward.account.Visibility;
import org.geoward.evaluate.SubjectKind;
import org.geoward.json.Json;
import org.geoward.json.JsonObject;
import org.geoward.problem.ProblemException;

/**
 * Registers and reads subjects: wards, guardians, officers and visitors. Writes are for ADMIN; a FAMILY user reads
 * only their own wards (and those wards' guardians), and gets 404 for any other id, so ids cannot be probed.
 */
@Controller("/api/subjects")
@Secured({"ADMIN", "DISPATCHER", "OFFICER", "FAMILY"})
@Tag(name = "subjects", description = "The people Geoward watches over")
final class SubjectController {
    private final SubjectService subjects;
    private final Visibility visibility;

    SubjectController(SubjectService subjects, Visibility visibility) {
        this.subjects = subjects;
        this.visibility = visibility;
    }

    @Post
    @Secured("ADMIN")
    @Operation(summary = "Register a subject (WARD with guardians, GUARDIAN, OFFICER with unit, VISITOR)")
    HttpResponse<Subject> create(@Body @Schema(implementation = JsonObject.class) String json) {
        JsonNode body = Json.body(json);
        Subject subject = subjects.create(body);
        return HttpResponse.created(subject, URI.create("/api/subjects/" + subject.id()));
    }

    @Get("/{id}")
    @Operation(summary = "Read one subject")
    Subject find(@PathVariable String id, Authentication authentication) {
        long subjectId = parseId(id);
        if (!visibility.canReadSubject(authentication, subjectId)) {
            throw ProblemException.notFound("subject", id);
        }
        return subjects.find(subjectId);
    }

    @Get("{?kind,limit,offset}")
    @Operation(
            summary = "List subjects, optionally of one kind",
            description = "In id order; limit (default and at most 10000) and offset page the list. A FAMILY user"
                    + " gets only their own wards and their guardians; an OFFICER their own record and the subjects of the"
                    + " unresolved alerts they handle (assigned, of their unit's types, or in their grid).")
    List<Subject> list(
            @Nullable @QueryValue String kind,
            @Nullable @QueryValue String limit,
            @Nullable @QueryValue String offset,
            Authentication authentication) {
        SubjectKind wanted = null;
        if (kind != null && !kind.isBlank()) {
            try {
                wanted = SubjectKind.valueOf(kind.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest(
                        "kind", "kind '" + kind + "' is not one of " + List.of(SubjectKind.values()));
            }
        }
        int max = whole("limit", limit, 1, MAX_PAGE, MAX_PAGE);
        int skip = whole("offset", offset, 0, 1_000_000, 0);
        return subjects.list(wanted, visibility.visibleSubjects(authentication).orElse(null), max, skip);
    }

    /** The most subjects one page holds. */
    static final int MAX_PAGE = 10_000;

    private static int whole(String name, @Nullable String raw, int min, int max, int absent) {
        if (raw == null || raw.isBlank()) {
            return absent;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw ProblemException.badRequest(
                name, name + " '" + raw + "' must be a whole number from " + min + " to " + max);
    }

    @Put("/{id}")
    @Secured("ADMIN")
    @Operation(summary = "Change a subject: name, phone, guardians, offlineMinutes, unit, status, travelMode")
    Subject update(@PathVariable String id, @Body @Schema(implementation = JsonObject.class) String json) {
        JsonNode body = Json.body(json);
        return subjects.update(parseId(id), body);
    }

    /** A path id; anything but a positive number names no subject. */
    static long parseId(String id) {
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // not found below
        }
        throw ProblemException.notFound("subject", id);
    }
}
