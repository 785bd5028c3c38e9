package org.geoward.alert;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.geoward.problem.ProblemException;
import org.reactivestreams.Publisher;

/** Alerts: list, read with timeline, acknowledge, resolve, and the live stream of their changes. */
@Controller("/api/alerts")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "alerts", description = "WANDER, DANGER, LOITER, OFFLINE and SOS alerts and their lifecycle")
final class AlertController {
    private final AlertQueries queries;
    private final AlertService service;
    private final AlertStream stream;

    private final org.geoward.subject.AlertUnits units;

    AlertController(
            AlertQueries queries, AlertService service, AlertStream stream, org.geoward.subject.AlertUnits units) {
        this.queries = queries;
        this.service = service;
        this.stream = stream;
        this.units = units;
    }

    /** Who is asking, with what they may see (officers: their unit's alert types and their assignments). */
    private Viewer viewer(io.micronaut.security.authentication.Authentication authentication) {
        return Viewer.of(authentication, units.byType());
    }

    /** The body of {@code POST /api/alerts/{id}/resolve}. */
    @Serdeable
    record Resolution(@Nullable String outcome, @Nullable String note) {}

    @Get("{?status,type,subjectId,fenceId,bbox,from,to,limit,offset}")
    @Operation(
            summary = "List alerts",
            description =
                    "A FeatureCollection of alerts (point = last known position), newest first. Filters:"
                            + " status and type (comma lists), subjectId, fenceId, bbox=w,s,e,n, from/to on openedAt, limit (default 1000) and offset for paging.")
    AlertFeature.Collection list(
            @Nullable @QueryValue String status,
            @Nullable @QueryValue String type,
            @Nullable @QueryValue String subjectId,
            @Nullable @QueryValue String fenceId,
            @Nullable @QueryValue String bbox,
            @Nullable @QueryValue String from,
            @Nullable @QueryValue String to,
            @Nullable @QueryValue String limit,
            @Nullable @QueryValue String offset,
            Authentication authentication) {
        AlertFilter filter = AlertFilter.parse(status, type, subjectId, fenceId, bbox, from, to, limit, offset);
        return AlertFeature.Collection.of(queries.list(filter, viewer(authentication)));
    }

    @Get(value = "/stream{?lastEventId}", produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(
            summary = "Stream alert changes (SSE)",
            description = "Every timeline step as an event: id = step id, event = action (opened, acknowledged,"
                    + " resolved...), data = the alert Feature with its step. Send Last-Event-ID (or ?lastEventId=)"
                    + " to replay what was missed; EventSource may pass the token as ?access_token=. A 'ready'"
                    + " event without id opens every stream, and a 'heartbeat' follows 20 s of silence.")
    Publisher<Event<Object>> stream(
            @Nullable @Header("Last-Event-ID") String lastEventIdHeader,
            @Nullable @QueryValue String lastEventId,
            Authentication authentication) {
        String given = lastEventIdHeader != null && !lastEventIdHeader.isBlank() ? lastEventIdHeader : lastEventId;
        Long cursor = AlertFilter.id("Last-Event-ID", given);
        return stream.from(cursor != null ? cursor : stream.lastEventId(), viewer(authentication));
    }

    @Get("/{id}")
    @Operation(summary = "Read one alert", description = "The alert Feature with its timeline, oldest step first.")
    AlertFeature get(String id, Authentication authentication) {
        long alertId = alertId(id);
        return queries.find(alertId, viewer(authentication))
                .map(f -> f.withTimeline(queries.timeline(alertId)))
                .orElseThrow(() -> ProblemException.notFound("alert", id));
    }

    @Post("/{id}/ack")
    @Secured({"ADMIN", "DISPATCHER", "OFFICER"})
    @Operation(summary = "Acknowledge an alert", description = "OPEN → ACKNOWLEDGED; 409 from any other status.")
    AlertFeature acknowledge(String id, Authentication authentication) {
        return service.acknowledge(alertId(id), viewer(authentication));
    }

    @Post("/{id}/resolve")
    @Secured({"ADMIN", "DISPATCHER", "OFFICER"})
    @Operation(
            summary = "Resolve an alert",
            description = "Any unresolved status → RESOLVED with {outcome, note}; 409 when already resolved.")
    AlertFeature resolve(String id, @Nullable @Body Resolution body, Authentication authentication) {
        Resolution r = body == null ? new Resolution(null, null) : body;
        if (r.outcome() != null && r.outcome().length() > 64) {
            throw ProblemException.badRequest("outcome", "outcome is longer than 64 characters");
        }
        if (r.note() != null && r.note().length() > 4000) {
            throw ProblemException.badRequest("note", "note is longer than 4000 characters");
        }
        return service.resolve(alertId(id), viewer(authentication), r.outcome(), r.note());
    }

    private static long alertId(String raw) {
        Long id = AlertFilter.id("id", raw);
        if (id == null) {
            throw ProblemException.badRequest("id", "an alert id is required");
        }
        return id;
    }
}
