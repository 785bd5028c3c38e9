package org.geoward.notify;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.geoward.account.Visibility;

/**
 * Reads alerts for CAP. The area is the fence for DANGER and LOITER (a circle fence as a CAP circle, any other
 * shape as the outer rings of its covered area) and otherwise a 0.5 km circle around the subject's last position.
 */
@Singleton
class CapAlerts {
    private static final double SEARCH_RADIUS_KM = 0.5;
    private static final String SELECT =
            """
            SELECT a.id, a.type, a.status, s.name AS subject_name, f.name AS fence_name, a.opened_at, a.updated_at,
                   a.subject_id, ST_Y(a.pos::geometry) AS lat, ST_X(a.pos::geometry) AS lon,
                   f.radius_meters, GeometryType(f.geom) AS fence_type, ST_Y(ST_Centroid(f.geom)) AS fence_lat,
                   ST_X(ST_Centroid(f.geom)) AS fence_lon,
                   ARRAY(SELECT (SELECT string_agg(round(ST_Y(pt.geom)::numeric, 6) || ','
                                                   || round(ST_X(pt.geom)::numeric, 6), ' ' ORDER BY pt.path)
                                 FROM ST_DumpPoints(ST_ExteriorRing(d.geom)) pt)
                         FROM ST_Dump(f.area) d WHERE GeometryType(d.geom) = 'POLYGON') AS rings,
                   first.id AS first_id, first.at AS first_at, last.id AS last_id, last.at AS last_at
            FROM alert a
            JOIN subject s ON s.id = a.subject_id
            LEFT JOIN fence f ON f.id = a.fence_id
            LEFT JOIN LATERAL (SELECT e.id, e.at FROM alert_event e WHERE e.alert_id = a.id ORDER BY e.id LIMIT 1) first
                ON true
            LEFT JOIN LATERAL (SELECT e.id, e.at FROM alert_event e WHERE e.alert_id = a.id ORDER BY e.id DESC LIMIT 1)
                last ON true
            """;

    private final JdbcOperations jdbc;

    CapAlerts(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** The alert with {@code id} if it exists and its subject is among {@code visible} (empty: all). */
    @Transactional
    Optional<CapAlert> find(long id, Optional<Set<Long>> visible) {
        List<CapAlert> found = query(SELECT + " WHERE a.id = ?", id);
        return found.stream()
                .findFirst()
                .filter(a -> visible.isEmpty() || visible.get().contains(subjectOf(id)));
    }

    /**
     * The unresolved alerts whose subjects are among {@code visible} (empty: all) and that meet {@code officers}
     * (empty: no such limit), newest first, at most 500.
     */
    @Transactional
    List<CapAlert> open(Optional<Set<Long>> visible, Optional<Visibility.Condition> officers) {
        List<CapAlert> found = new ArrayList<>();
        for (Long[] row : openIds(officers)) {
            if (visible.isEmpty() || visible.get().contains(row[1])) {
                found.addAll(query(SELECT + " WHERE a.id = ?", row[0]));
            }
        }
        return found;
    }

    private List<Long[]> openIds(Optional<Visibility.Condition> officers) {
        String limit = officers.map(c -> " AND " + c.sql()).orElse("");
        return jdbc.prepareStatement(
                "SELECT a.id, a.subject_id FROM alert a WHERE a.status <> 'RESOLVED'" + limit
                        + " ORDER BY a.id DESC LIMIT 500",
                ps -> {
                    if (officers.isPresent()) {
                        officers.get().bind(ps, 1);
                    }
                    List<Long[]> ids = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(new Long[] {rs.getLong(1), rs.getLong(2)});
                        }
                    }
                    return ids;
                });
    }

    private long subjectOf(long alertId) {
        return jdbc.prepareStatement("SELECT subject_id FROM alert WHERE id = ?", ps -> {
            ps.setLong(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private List<CapAlert> query(String sql, long id) {
        return jdbc.prepareStatement(sql, ps -> {
            ps.setLong(1, id);
            List<CapAlert> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(read(rs));
                }
            }
            return found;
        });
    }

    private static CapAlert read(ResultSet rs) throws SQLException {
        String type = rs.getString("type");
        String fenceName = rs.getString("fence_name");
        boolean fenceArea = fenceName != null && (type.equals("DANGER") || type.equals("LOITER"));
        List<String> circles = new ArrayList<>();
        List<String> polygons = new ArrayList<>();
        if (fenceArea && "POINT".equals(rs.getString("fence_type"))) {
            circles.add(
                    circle(rs.getDouble("fence_lat"), rs.getDouble("fence_lon"), rs.getDouble("radius_meters") / 1000));
        } else if (fenceArea) {
            polygons.addAll(Arrays.asList((String[]) rs.getArray("rings").getArray()));
        } else {
            double lat = rs.getDouble("lat");
            if (!rs.wasNull()) {
                circles.add(circle(lat, rs.getDouble("lon"), SEARCH_RADIUS_KM));
            }
        }
        long firstId = rs.getLong("first_id");
        boolean hasEvents = !rs.wasNull();
        return new CapAlert(
                rs.getLong("id"),
                type,
                rs.getString("status"),
                rs.getString("subject_name"),
                fenceArea || fenceName != null ? fenceName : "最后已知位置",
                rs.getTimestamp("opened_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                hasEvents ? firstId : 0,
                hasEvents
                        ? rs.getTimestamp("first_at").toInstant()
                        : rs.getTimestamp("opened_at").toInstant(),
                hasEvents ? rs.getLong("last_id") : 0,
                hasEvents
                        ? rs.getTimestamp("last_at").toInstant()
                        : rs.getTimestamp("updated_at").toInstant(),
                circles,
                polygons);
    }

    /** A CAP circle: latitude first, then longitude, then the radius in kilometres. */
    static String circle(double lat, double lon, double radiusKm) {
        return String.format(java.util.Locale.ROOT, "%.6f,%.6f %.3f", lat, lon, radiusKm);
    }
}
