package org.geoward.subject;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.geoward.evaluate.SubjectKind;

/**
 * Looks subjects up for ingest: by id (with guardians), by camera track (creating a VISITOR on the fly) and by
 * device unique id. The write side (registering subjects and devices) lives in the controllers of this package.
 */
@Singleton
public class SubjectDirectory {
    private static final String SELECT =
            """
            SELECT s.id, s.kind, s.name, s.phone, s.offline_minutes,
                   ARRAY(SELECT g.guardian_id FROM ward_guardian g WHERE g.ward_id = s.id) AS guardians
            FROM subject s""";

    private final JdbcOperations jdbc;

    public SubjectDirectory(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** The subject with this id, or empty. */
    @Transactional
    public Optional<SubjectInfo> find(long id) {
        return Optional.ofNullable(findAll(Set.of(id)).get(id));
    }

    /** The subjects among {@code ids} that exist, by id. */
    @Transactional
    public Map<Long, SubjectInfo> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
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

    /** The VISITOR that stands for a camera track, created the first time the track is seen. */
    @Transactional
    public long visitorForTrack(String trackId) {
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

    /** The device registered under {@code uniqueId} (an IMEI or app id), or empty. */
    @Transactional
    public Optional<DeviceBinding> deviceByUniqueId(String uniqueId) {
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

    /** Where the subject was last seen, or empty if it never was. */
    @Transactional
    public Optional<LastPosition> lastPosition(long subjectId) {
        return jdbc.prepareStatement(
                """
                SELECT ST_X(pos::geometry), ST_Y(pos::geometry), accuracy, time
                FROM subject_position WHERE subject_id = ?""",
                ps -> {
                    ps.setLong(1, subjectId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        Float accuracy = rs.getObject(3, Float.class);
                        return Optional.of(new LastPosition(
                                rs.getDouble(1),
                                rs.getDouble(2),
                                accuracy == null ? null : accuracy.doubleValue(),
                                rs.getTimestamp(4).toInstant()));
                    }
                });
    }

    /** A subject's latest fix: WGS 84 degrees, accuracy in metres (or null), and when it was taken. */
    public record LastPosition(double lon, double lat, Double accuracy, Instant time) {}

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
                offline);
    }
}
