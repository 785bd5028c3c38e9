package org.geoward.subject;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.geoward.evaluate.SubjectCategory;
import org.geoward.evaluate.SubjectKind;

/** The database side of {@link SubjectDirectory}: each method one transaction, nothing remembered. */
@Singleton
class DirectoryRows {
    private static final String SELECT =
            """
            SELECT s.id, s.kind, s.name, s.phone, s.offline_minutes, s.category, s.consent_at IS NOT NULL AS consented,
                   s.erased_at IS NOT NULL AS erased,
                   ARRAY(SELECT g.guardian_id FROM ward_guardian g WHERE g.ward_id = s.id) AS guardians
            FROM subject s""";

    private final JdbcOperations jdbc;

    DirectoryRows(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    Map<Long, SubjectInfo> subjects(Collection<Long> ids) {
        return jdbc.prepareStatement(SELECT + " WHERE s.id = ANY(?)", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids.toArray()));
            Map<Long, SubjectInfo> found = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SubjectInfo info = read(rs);
                    found.put(info.id(), info);
                }
            }
            return found;
        });
    }

    @Transactional
    long visitorForTrack(String trackId) {
        return jdbc.prepareStatement(
                """
                INSERT INTO subject (kind, name, track_id) VALUES ('VISITOR', ?, ?)
                ON CONFLICT (track_id) DO UPDATE SET track_id = EXCLUDED.track_id
                RETURNING id""",
                ps -> {
                    ps.setString(1, "访客 " + trackId);
                    ps.setString(2, trackId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
    }

    @Transactional
    Optional<DeviceBinding> device(String uniqueId) {
        return jdbc.prepareStatement(
                "SELECT id, unique_id, protocol, subject_id, token_hash FROM device WHERE unique_id = ?", ps -> {
                    ps.setString(1, uniqueId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        return Optional.of(new DeviceBinding(
                                rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
                    }
                });
    }

    @Transactional
    Optional<SubjectDirectory.LastPosition> lastPosition(long subjectId) {
        return jdbc.prepareStatement(
                """
                SELECT ST_X(pos::geometry), ST_Y(pos::geometry), accuracy, time FROM (
                    SELECT pos, accuracy, time FROM subject_position WHERE subject_id = ?
                    UNION ALL
                    (SELECT pos, accuracy, time FROM sighting WHERE subject_id = ? ORDER BY time DESC LIMIT 1)
                ) newest ORDER BY time DESC LIMIT 1""",
                ps -> {
                    ps.setLong(1, subjectId);
                    ps.setLong(2, subjectId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        Float accuracy = rs.getObject(3, Float.class);
                        return Optional.of(new SubjectDirectory.LastPosition(
                                rs.getDouble(1),
                                rs.getDouble(2),
                                accuracy == null ? null : accuracy.doubleValue(),
                                rs.getTimestamp(4).toInstant()));
                    }
                });
    }

    private static SubjectInfo read(ResultSet rs) throws SQLException {
        Array guardians = rs.getArray("guardians");
        Set<Long> guardianIds = Arrays.stream((Long[]) guardians.getArray()).collect(Collectors.toUnmodifiableSet());
        int offlineValue = rs.getInt("offline_minutes");
        Integer offline = rs.wasNull() ? null : offlineValue;
        return new SubjectInfo(
                rs.getLong("id"),
                SubjectKind.valueOf(rs.getString("kind")),
                rs.getString("name"),
                rs.getString("phone"),
                guardianIds,
                offline,
                rs.getBoolean("consented"),
                rs.getBoolean("erased"),
                rs.getString("category") == null ? null : SubjectCategory.valueOf(rs.getString("category")));
    }
}
