package org.geoward.sighting;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;

    TrackController(JdbcOperations jdbc, TransactionOperations<Connection> tx) {
        this.jdbc = jdbc;
        this.tx = tx;
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
        Instant until = time("to", to, Instant.now());
        Instant since = time("from", from, until.minus(Duration.ofHours(24)));
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
        return tx.executeRead(status -> {
            boolean visible = officer
                    ? isHandling(subjectId, authentication)
                    : isVisible(subjectId, family ? authentication.getName() : null);
            if (!visible) {
                throw ProblemException.notFound("subject", id);
            }
            return new Track("FeatureCollection", Long.toString(subjectId), points(subjectId, since, until, max));
        });
    }

    /**
     * Minimisation for an officer: their own track, and the track of a subject whose alert is assigned to them and not
     * yet resolved, while it is; no one else's history.
     */
    private boolean isHandling(long subjectId, Authentication authentication) {
        Object own = authentication.getAttributes().get("subjectId");
        if (own == null) {
            return false;
        }
        long officerId = Long.parseLong(own.toString());
        if (officerId == subjectId) {
            return true;
        }
        return jdbc.prepareStatement(
                """
                SELECT 1 FROM alert a
                WHERE a.subject_id = ? AND a.assigned_officer_id = ? AND a.status <> 'RESOLVED'""",
                ps -> {
                    ps.setLong(1, subjectId);
                    ps.setLong(2, officerId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                });
    }

    private boolean isVisible(long subjectId, String familyUser) {
        String sql = familyUser == null
                ? "SELECT 1 FROM subject WHERE id = ?"
                : "SELECT 1 FROM user_ward uw JOIN app_user u ON u.id = uw.user_id WHERE uw.ward_id = ? AND u.username = ?";
        return jdbc.prepareStatement(sql, ps -> {
            ps.setLong(1, subjectId);
            if (familyUser != null) {
                ps.setString(2, familyUser);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    private List<Map<String, Object>> points(long subjectId, Instant since, Instant until, int max) {
        return jdbc.prepareStatement(
                """
                SELECT time, ST_X(pos::geometry), ST_Y(pos::geometry), accuracy, source, speed, heading, battery, sos
                FROM sighting WHERE subject_id = ? AND time >= ? AND time < ? ORDER BY time LIMIT ?""",
                ps -> {
                    ps.setLong(1, subjectId);
                    ps.setTimestamp(2, Timestamp.from(since));
                    ps.setTimestamp(3, Timestamp.from(until));
                    ps.setInt(4, max);
                    List<Map<String, Object>> features = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Map<String, Object> props = new LinkedHashMap<>();
                            props.put(
                                    "time",
                                    rs.getObject(1, OffsetDateTime.class)
                                            .toInstant()
                                            .toString());
                            props.put("accuracy", rs.getObject(4));
                            props.put("source", rs.getString(5));
                            props.put("speed", rs.getObject(6));
                            props.put("heading", rs.getObject(7));
                            props.put("battery", rs.getObject(8));
                            props.put("sos", rs.getBoolean(9));
                            Map<String, Object> feature = new LinkedHashMap<>();
                            feature.put("type", "Feature");
                            feature.put(
                                    "geometry",
                                    Map.of("type", "Point", "coordinates", List.of(rs.getDouble(2), rs.getDouble(3))));
                            feature.put("properties", props);
                            features.add(feature);
                        }
                    }
                    return features;
                });
    }

    private static long subjectId(String raw) {
        if (raw == null || !raw.trim().matches("\\d{1,18}")) {
            throw ProblemException.badRequest("id", "subject id '" + raw + "' is not an id");
        }
        return Long.parseLong(raw.trim());
    }

    private static Instant time(String name, String raw, Instant otherwise) {
        if (raw == null || raw.isBlank()) {
            return otherwise;
        }
        try {
            return OffsetDateTime.parse(raw.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(
                    name, name + " '" + raw + "' is not an ISO-8601 time such as 2026-11-22T08:00:00Z");
        }
    }
}
