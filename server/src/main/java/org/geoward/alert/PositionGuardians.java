package org.geoward.alert;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.geoward.evaluate.Fix;
import org.geoward.evaluate.GuardianLocator;
import org.geoward.evaluate.SubjectKind;

/**
 * Finds a guardian's latest fix in {@code subject_position} (which ingest moves forward before evaluation, so a
 * guardian reported in the same batch counts). Made per evaluation and remembers what it read; not shared between
 * threads. A batch {@link #preload}s every guardian its subjects name in one query.
 */
final class PositionGuardians implements GuardianLocator {
    private final JdbcOperations jdbc;
    private final Map<Long, Optional<Fix>> seen = new HashMap<>();

    PositionGuardians(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Fix> latestFix(long guardianSubjectId) {
        return seen.computeIfAbsent(guardianSubjectId, this::read);
    }

    /** Reads the latest fixes of all {@code ids} not read yet, in one query. */
    void preload(Collection<Long> ids) {
        Long[] missing =
                ids.stream().distinct().filter(id -> !seen.containsKey(id)).toArray(Long[]::new);
        if (missing.length == 0) {
            return;
        }
        jdbc.prepareStatement(
                """
                SELECT subject_id, time, ST_X(pos::geometry), ST_Y(pos::geometry), accuracy
                FROM subject_position WHERE subject_id = ANY(?)""",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("bigint", missing));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            seen.put(rs.getLong(1), Optional.of(fix(rs)));
                        }
                    }
                    return null;
                });
        for (Long id : missing) {
            seen.putIfAbsent(id, Optional.empty());
        }
    }

    private Optional<Fix> read(long id) {
        return jdbc.prepareStatement(
                """
                SELECT subject_id, time, ST_X(pos::geometry), ST_Y(pos::geometry), accuracy
                FROM subject_position WHERE subject_id = ?""",
                ps -> {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(fix(rs)) : Optional.<Fix>empty();
                    }
                });
    }

    private static Fix fix(ResultSet rs) throws SQLException {
        double accuracy = rs.getDouble(5);
        boolean unknownAccuracy = rs.wasNull();
        return new Fix(
                rs.getLong(1),
                SubjectKind.GUARDIAN,
                rs.getObject(2, OffsetDateTime.class).toInstant(),
                rs.getDouble(3),
                rs.getDouble(4),
                unknownAccuracy ? 0 : accuracy,
                false,
                Set.of());
    }
}
