package org.geoward.dispatch;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.geoward.subject.TravelMode;

/**
 * Finds the officers to offer for an alert at a point, in this order:
 *
 * <ol>
 *   <li>the officers of the GRID fences covering the point ({@code grid_officer}), AVAILABLE, with a fresh fix
 *       within {@code geoward.dispatch.grid-meters}, nearest first, whatever their unit;
 *   <li>the available officers of the alert's unit: a KNN scan ({@code <->}) of the GIST index on {@code
 *       subject_position.pos} (geography), once for officers with a fresh fix and once for stale ones; fresh
 *       officers first, each group ordered by distance: geodesic ({@code ST_Distance} on the WGS 84 spheroid), or for
 *       a BOAT officer the way along the river ({@link RiverChannels}), so a boat on another branch ranks by how far
 *       it must sail.
 * </ol>
 *
 * Runs in the caller's transaction, if any. Thread-safe.
 */
@Singleton
final class NearestOfficers {
    private static final String BRANCH =
            """
            (SELECT s.id, s.name, s.unit, s.travel_mode, %2$s AS stale,
                    ST_Distance(p.pos, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography) AS distance,
                    extract(epoch FROM now() - p.time) AS age,
                    ST_X(p.pos::geometry) AS lon, ST_Y(p.pos::geometry) AS lat
             FROM subject_position p JOIN subject s ON s.id = p.subject_id
             WHERE s.kind = 'OFFICER' AND s.status = 'AVAILABLE' AND s.unit = ?
               AND p.time %1$s now() - make_interval(mins => ?) AND NOT (s.id = ANY (?))
             ORDER BY p.pos <-> ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography
             LIMIT ?)""";

    /** The statement, also run by the benchmark under EXPLAIN ANALYZE. */
    static final String SQL = BRANCH.formatted(">=", "false") + "\nUNION ALL\n" + BRANCH.formatted("<", "true")
            + "\nORDER BY stale, distance LIMIT ?";

    /** The officers of the grids covering a point, available, fresh and within reach. */
    static final String GRID_SQL =
            """
            SELECT DISTINCT ON (s.id) s.id, s.name, s.unit, s.travel_mode, f.name AS grid, g.role,
                   ST_Distance(p.pos, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography) AS distance,
                   extract(epoch FROM now() - p.time) AS age,
                   ST_X(p.pos::geometry) AS lon, ST_Y(p.pos::geometry) AS lat
            FROM fence f
            JOIN grid_officer g ON g.fence_id = f.id
            JOIN subject s ON s.id = g.officer_id
            JOIN subject_position p ON p.subject_id = s.id
            WHERE f.kind = 'GRID' AND f.retired_at IS NULL
              AND ST_Covers(f.area, ST_SetSRID(ST_MakePoint(?, ?), 4326))
              AND s.kind = 'OFFICER' AND s.status = 'AVAILABLE'
              AND p.time >= now() - make_interval(mins => ?) AND NOT (s.id = ANY (?))
              AND ST_DWithin(p.pos, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?)
            ORDER BY s.id, distance""";

    private final JdbcOperations jdbc;
    private final DispatchSettings settings;
    private final RiverChannels rivers;

    NearestOfficers(JdbcOperations jdbc, DispatchSettings settings, RiverChannels rivers) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.rivers = rivers;
    }

    /**
     * The {@code limit} officers to offer at ({@code lon}, {@code lat}): the grid's own first, then the nearest
     * available of {@code unit}, fresh before stale, leaving out {@code excluded} officer ids.
     */
    List<Candidate> find(double lon, double lat, String unit, int limit, Collection<Long> excluded) {
        List<Candidate> found = new ArrayList<>(gridOfficers(lon, lat, excluded));
        Set<Long> skip = new HashSet<>(excluded);
        found.forEach(c -> skip.add(c.id()));
        if (found.size() < limit) {
            // BOAT officers are re-ranked by the river route, so ask for more than the straight line would need
            int wanted = rivers.hasChannels() ? Math.min(100, Math.max(limit * 3, 10)) : limit;
            List<Candidate> near = new ArrayList<>(nearest(lon, lat, unit, wanted, skip));
            near.sort(Comparator.comparing(Candidate::stale).thenComparingDouble(Candidate::distanceMeters));
            near.stream().limit(limit - found.size()).forEach(found::add);
        }
        return found;
    }

    private List<Candidate> gridOfficers(double lon, double lat, Collection<Long> excluded) {
        if (!(settings.gridMeters() > 0)) {
            return List.of();
        }
        return jdbc.prepareStatement(GRID_SQL, ps -> {
            ps.setDouble(1, lon);
            ps.setDouble(2, lat);
            ps.setDouble(3, lon);
            ps.setDouble(4, lat);
            ps.setInt(5, settings.staleMinutes());
            ps.setArray(6, ps.getConnection().createArrayOf("bigint", excluded.toArray(Long[]::new)));
            ps.setDouble(7, lon);
            ps.setDouble(8, lat);
            ps.setDouble(9, settings.gridMeters());
            List<Candidate> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(candidate(rs, lon, lat, false, rs.getString("grid"), rs.getString("role")));
                }
            }
            found.sort(Comparator.comparingDouble(Candidate::distanceMeters));
            return found;
        });
    }

    private List<Candidate> nearest(double lon, double lat, String unit, int limit, Collection<Long> excluded) {
        return jdbc.prepareStatement(SQL, ps -> {
            Long[] skip = excluded.toArray(Long[]::new);
            int i = 1;
            for (int branch = 0; branch < 2; branch++) {
                ps.setDouble(i++, lon);
                ps.setDouble(i++, lat);
                ps.setString(i++, unit);
                ps.setInt(i++, settings.staleMinutes());
                ps.setArray(i++, ps.getConnection().createArrayOf("bigint", skip));
                ps.setDouble(i++, lon);
                ps.setDouble(i++, lat);
                ps.setInt(i++, limit);
            }
            ps.setInt(i, limit);
            List<Candidate> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(candidate(rs, lon, lat, rs.getBoolean("stale"), null, null));
                }
            }
            return found;
        });
    }

    private Candidate candidate(ResultSet rs, double lon, double lat, boolean stale, String grid, String role)
            throws SQLException {
        TravelMode mode = TravelMode.parse(rs.getString("travel_mode"));
        double straight = rs.getDouble("distance");
        Optional<RiverChannels.Route> river = mode == TravelMode.BOAT
                ? rivers.route(rs.getDouble("lon"), rs.getDouble("lat"), lon, lat)
                : Optional.empty();
        double metres = river.map(RiverChannels.Route::meters).orElse(straight);
        long age = Math.max(0, Math.round(rs.getDouble("age")));
        Candidate.Reason reason = grid == null ? Candidate.Reason.NEAREST : Candidate.Reason.GRID_OFFICER;
        Candidate.Route route = river.isPresent() ? Candidate.Route.RIVER : Candidate.Route.STRAIGHT;
        return new Candidate(
                Long.toString(rs.getLong("id")),
                rs.getString("name"),
                rs.getString("unit"),
                Math.round(metres * 10) / 10.0,
                etaSeconds(metres, mode),
                age,
                stale,
                reason,
                route,
                grid,
                role,
                why(reason, route, grid, role, metres, river, stale));
    }

    private static String why(
            Candidate.Reason reason,
            Candidate.Route route,
            String grid,
            String role,
            double metres,
            Optional<RiverChannels.Route> river,
            boolean stale) {
        StringBuilder why = new StringBuilder();
        if (reason == Candidate.Reason.GRID_OFFICER) {
            why.append(role.toLowerCase(Locale.ROOT).replace('_', ' '))
                    .append(" officer of grid ")
                    .append(grid)
                    .append(", offered first");
        } else {
            why.append("nearest available officer of the unit");
        }
        why.append("; ").append(Math.round(metres)).append(" m");
        if (route == Candidate.Route.RIVER) {
            why.append(" along the river (")
                    .append(String.join(" → ", river.get().channels()))
                    .append(")");
        }
        if (stale) {
            why.append("; last fix is stale");
        }
        return why.toString();
    }

    /** Seconds to cover {@code metres} in {@code mode}, to the nearest second. */
    long etaSeconds(double metres, TravelMode mode) {
        return Math.round(metres * 3.6 / settings.speedKmh(mode));
    }

    /**
     * The distance in metres an officer in {@code mode} at ({@code fromLon}, {@code fromLat}) has to cover to
     * ({@code toLon}, {@code toLat}): along the river for BOAT when the channels reach, else {@code straightMeters}.
     */
    double travelMeters(TravelMode mode, double fromLon, double fromLat, double toLon, double toLat, double straight) {
        if (mode != TravelMode.BOAT) {
            return straight;
        }
        return rivers.route(fromLon, fromLat, toLon, toLat)
                .map(RiverChannels.Route::meters)
                .orElse(straight);
    }
}
