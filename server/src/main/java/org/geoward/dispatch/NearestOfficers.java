package org.geoward.dispatch;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.geoward.subject.TravelMode;

/**
 * Finds the available officers of a unit nearest to a point: a KNN scan ({@code <->}) of the GIST index on {@code
 * subject_position.pos} (geography), once for officers with a fresh fix and once for stale ones, each stopping after
 * {@code limit} rows; fresh officers come first, each group ordered by the exact geodesic distance
 * ({@code ST_Distance} on the WGS 84 spheroid). Runs in the caller's transaction, if any. Thread-safe.
 */
@Singleton
final class NearestOfficers {
    private static final String BRANCH =
            """
            (SELECT s.id, s.name, s.unit, s.travel_mode, %2$s AS stale,
                    ST_Distance(p.pos, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography) AS distance,
                    extract(epoch FROM now() - p.time) AS age
             FROM subject_position p JOIN subject s ON s.id = p.subject_id
             WHERE s.kind = 'OFFICER' AND s.status = 'AVAILABLE' AND s.unit = ?
               AND p.time %1$s now() - make_interval(mins => ?) AND NOT (s.id = ANY (?))
             ORDER BY p.pos <-> ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography
             LIMIT ?)""";

    /** The statement, also run by the benchmark under EXPLAIN ANALYZE. */
    static final String SQL = BRANCH.formatted(">=", "false") + "\nUNION ALL\n" + BRANCH.formatted("<", "true")
            + "\nORDER BY stale, distance LIMIT ?";

    private final JdbcOperations jdbc;
    private final DispatchSettings settings;

    NearestOfficers(JdbcOperations jdbc, DispatchSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /**
     * The {@code limit} available officers of {@code unit} nearest to ({@code lon}, {@code lat}), fresh before
     * stale, leaving out {@code excluded} officer ids.
     */
    List<Candidate> find(double lon, double lat, String unit, int limit, Collection<Long> excluded) {
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
                    double metres = rs.getDouble("distance");
                    TravelMode mode = TravelMode.parse(rs.getString("travel_mode"));
                    found.add(new Candidate(
                            Long.toString(rs.getLong("id")),
                            rs.getString("name"),
                            rs.getString("unit"),
                            Math.round(metres * 10) / 10.0,
                            etaSeconds(metres, mode),
                            Math.max(0, Math.round(rs.getDouble("age"))),
                            rs.getBoolean("stale")));
                }
            }
            return found;
        });
    }

    /** Seconds to cover {@code metres} in {@code mode}, to the nearest second. */
    long etaSeconds(double metres, TravelMode mode) {
        return Math.round(metres * 3.6 / settings.speedKmh(mode));
    }
}
