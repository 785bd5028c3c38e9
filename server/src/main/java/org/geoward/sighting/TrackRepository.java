package org.geoward.sighting;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a subject's track for {@link TrackController}: who may see it (minimised by role) and its fixes as GeoJSON
 * Point features, in one read-only transaction. Thread-safe.
 */
@Singleton
class TrackRepository {
    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;

    TrackRepository(JdbcOperations jdbc, TransactionOperations<Connection> tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * The features of subject {@code subjectId}'s fixes from {@code since} to before {@code until}, at most {@code
     * max}, the earliest first; empty when the caller may not see them: with {@code officer}, only their own track
     * ({@code officerId}, their subject, null when they have none) and that of a subject whose unresolved alert is
     * assigned to them; with {@code familyUser}, only that user's
     * wards; otherwise any subject that exists.
     */
    Optional<List<Map<String, Object>>> read(
            long subjectId,
            boolean officer,
            @Nullable Long officerId,
            @Nullable String familyUser,
            Instant since,
            Instant until,
            int max) {
        return tx.executeRead(status -> {
            boolean visible = officer ? isHandling(subjectId, officerId) : isVisible(subjectId, familyUser);
            return visible ? Optional.of(points(subjectId, since, until, max)) : Optional.empty();
        });
    }

    /**
     * Minimisation for an officer: their own track, and the track of a subject whose alert is assigned to them and not
     * yet resolved, while it is; no one else's history.
     */
    private boolean isHandling(long subjectId, @Nullable Long officerId) {
        if (officerId == null) {
            return false;
        }
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
}
