package org.geoward.sighting;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.geoward.clock.QueryTimes;
import org.geoward.problem.ProblemException;

/**
 * {@code GET /api/subjects/{id}/track?from=&to=}: a subject's sightings in event-time order as a GeoJSON
 * FeatureCollection of Points, each with {@code time}, {@code accuracy}, {@code source}, {@code speed},
 * {@code heading}, {@code battery} and {@code sos}. Points rather than one LineString so every fix keeps its time and
 * accuracy, and a track of one fix is still valid GeoJSON. Without {@code from}, the 24 hours before {@code to}
 * (default now); at most {@code limit} (default 10,000) fixes, the earliest first. Minimised by role: ADMIN and
 * DISPATCHER read any track, a FAMILY user their wards', an OFFICER only their own and, while they handle it, that of
 * the subject of an alert assigned to them; any other id is 404.
 */
@Controller("/api/subjects")
@Secured({"ADMIN", "DISPATCHER", "OFFICER", "FAMILY"})
@Tag(name = "sightings")
final class TrackController {
    private static final int MAX_POINTS = 50_000;

    private final TrackRepository tracks;

    TrackController(TrackRepository tracks) {
        this.tracks = tracks;
    }

    /** A GeoJSON FeatureCollection. */
    @Serdeable
    record Track(String type, String subjectId, List<Map<String, Object>> features) {}

    @Get("/{id}/track{?from,to,limit}")
    @Operation(
            summary = "Read a subject's track",
            description = "The sightings between from and to (ISO-8601; default the last 24 h) as a FeatureCollection"
                    + " of Points with time, accuracy, source, speed, heading, battery and sos, in time order.")
    Track track(
            String id,
            @Nullable @QueryValue String from,
            @Nullable @QueryValue String to,
            @Nullable @QueryValue Integer limit,
            Authentication authentication) {
        long subjectId = subjectId(id);
        Instant until = QueryTimes.parse("to", to, Instant.now());
        Instant since = QueryTimes.parse("from", from, until.minus(Duration.ofHours(24)));
        if (!since.isBefore(until)) {
            throw ProblemException.badRequest("to", "to must be after from");
        }
        int max = limit == null ? 10_000 : limit;
        if (max < 1 || max > MAX_POINTS) {
            throw ProblemException.badRequest("limit", "limit must be from 1 to " + MAX_POINTS);
        }
        var roles = authentication.getRoles();
        boolean seesAll = roles.contains("ADMIN") || roles.contains("DISPATCHER");
        boolean family = !seesAll && roles.contains("FAMILY");
        boolean officer = !seesAll && !family && roles.contains("OFFICER");
        Object own = authentication.getAttributes().get("subjectId");
        Long officerId = officer && own != null ? Long.valueOf(own.toString()) : null;
        return tracks.read(subjectId, officer, officerId, family ? authentication.getName() : null, since, until, max)
                .map(points -> new Track("FeatureCollection", Long.toString(subjectId), points))
                .orElseThrow(() -> ProblemException.notFound("subject", id));
    }

    private static long subjectId(String raw) {
        if (raw == null || !raw.trim().matches("\\d{1,18}")) {
            throw ProblemException.badRequest("id", "subject id '" + raw + "' is not an id");
        }
        return Long.parseLong(raw.trim());
    }
}
