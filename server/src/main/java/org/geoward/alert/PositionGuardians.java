package org.geoward.alert;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
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
 * threads.
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

    private Optional<Fix> read(long id) {
        return jdbc.prepareStatement(
                """
                SELECT time, ST_X(pos::geometry), ST_Y(pos::geometry), accuracy
                FROM subject_position WHERE subject_id = ?""",
                ps -> {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        double accuracy = rs.getDouble(4);
                        boolean unknownAccuracy = rs.wasNull();
                        return Optional.of(new Fix(
                                id,
                                SubjectKind.GUARDIAN,
                                rs.getObject(1, OffsetDateTime.class).toInstant(),
                                rs.getDouble(2),
                                rs.getDouble(3),
                                unknownAccuracy ? 0 : accuracy,
                                false,
                                Set.of()));
                    }
                });
    }
}
