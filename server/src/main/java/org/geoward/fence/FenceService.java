package org.geoward.fence;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.geoward.evaluate.FenceKind;
import org.geoward.evaluate.SubjectCategory;
import org.geoward.evaluate.SubjectKind;
import org.geoward.geo.Geometries;
import org.geoward.json.Json;
import org.geoward.problem.ProblemException;
import org.geoward.subject.SubjectDirectory;

/**
 * Stores fences: creates, replaces and retires them, and answers which fences lie in a box and who is inside one.
 * The covered {@code area} of a circle or corridor is its geometry buffered on the ellipsoid ({@code ST_Buffer} on
 * geography). Each public method is one transaction; callers invalidate the {@link FenceCatalog} after a write.
 */
@Singleton
public class FenceService {
    private static final String AREA = "CASE WHEN ?::float8 IS NULL THEN ST_GeomFromWKB(?, 4326)"
            + " ELSE ST_Buffer(ST_GeomFromWKB(?, 4326)::geography, ?::float8, 'quad_segs=16')::geometry END";
    private static final String COLUMNS =
            "name, kind, geom, area, radius_meters, buffer_meters, hysteresis_meters, dwell_minutes, max_gap_minutes,"
                    + " subjects, active_from, active_until, daily_from, daily_until, zone, categories, active_months, properties";
    private static final String SELECT =
            """
            SELECT id, name, kind, ST_AsBinary(geom) AS wkb, radius_meters, buffer_meters, hysteresis_meters,
                   dwell_minutes, max_gap_minutes, subjects, active_from, active_until, daily_from, daily_until, zone,
                   categories, active_months, properties::text AS properties, created_at, updated_at, retired_at
            FROM fence""";

    private final JdbcOperations jdbc;
    private final SubjectDirectory subjects;

    FenceService(JdbcOperations jdbc, SubjectDirectory subjects) {
        this.jdbc = jdbc;
        this.subjects = subjects;
    }

    /** Stores the fence the Feature describes. */
    @Transactional
    public StoredFence create(JsonNode feature) {
        FenceDraft draft = checked(feature);
        long id = jdbc.prepareStatement(
                "INSERT INTO fence (" + COLUMNS + ") VALUES (?, ?, ST_GeomFromWKB(?, 4326), " + AREA
                        + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id",
                ps -> {
                    bind(ps, draft);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
        return find(id);
    }

    /** Replaces fence {@code id} with the Feature; applies from the next fix, re-evaluates nothing. */
    @Transactional
    public StoredFence replace(long id, JsonNode feature) {
        StoredFence stored = find(id);
        if (stored.retiredAt() != null) {
            throw ProblemException.conflict("Fence " + id + " was retired at " + stored.retiredAt()
                    + " and cannot change; create a new fence instead");
        }
        FenceDraft draft = checked(feature);
        String assignments = Arrays.stream(COLUMNS.split(","))
                .map(c -> c.trim() + " = ?")
                .reduce((a, b) -> a + ", " + b)
                .orElseThrow()
                .replace("geom = ?", "geom = ST_GeomFromWKB(?, 4326)")
                .replace("area = ?", "area = " + AREA)
                .replace("properties = ?", "properties = ?::jsonb");
        jdbc.prepareStatement("UPDATE fence SET " + assignments + ", updated_at = now() WHERE id = ?", ps -> {
            int next = bind(ps, draft);
            ps.setLong(next, id);
            return ps.executeUpdate();
        });
        return find(id);
    }

    /** Retires fence {@code id}: it stops applying, its alerts stay. Retiring a retired fence changes nothing. */
    @Transactional
    public void retire(long id) {
        find(id);
        jdbc.prepareStatement(
                "UPDATE fence SET retired_at = now(), updated_at = now() WHERE id = ? AND retired_at IS NULL", ps -> {
                    ps.setLong(1, id);
                    return ps.executeUpdate();
                });
    }

    /** The fence {@code id}, retired or not; a 404 when there is none. */
    @Transactional
    public StoredFence find(long id) {
        List<StoredFence> found = query(SELECT + " WHERE id = ?", ps -> ps.setLong(1, id));
        if (found.isEmpty()) {
            throw ProblemException.notFound("fence", id);
        }
        return found.get(0);
    }

    /** The fences not retired whose covered area meets {@code bbox} (every one when it is null), oldest first. */
    @Transactional
    public List<StoredFence> list(Bbox bbox) {
        if (bbox == null) {
            return query(SELECT + " WHERE retired_at IS NULL ORDER BY id", ps -> {});
        }
        return query(
                SELECT + " WHERE retired_at IS NULL AND ST_Intersects(area, ST_MakeEnvelope(?, ?, ?, ?, 4326))"
                        + " ORDER BY id",
                ps -> {
                    ps.setDouble(1, bbox.west());
                    ps.setDouble(2, bbox.south());
                    ps.setDouble(3, bbox.east());
                    ps.setDouble(4, bbox.north());
                });
    }

    /**
     * The subjects whose latest position lies in fence {@code id}, measured on the ellipsoid: within the radius of
     * a circle, within the buffer of a corridor, covered by a polygon. A retired fence has none.
     */
    @Transactional
    public List<Occupant> occupants(long id) {
        if (find(id).retiredAt() != null) {
            return List.of();
        }
        return jdbc.prepareStatement(
                """
                SELECT s.id, s.name, s.kind, p.time, ST_X(p.pos::geometry), ST_Y(p.pos::geometry), p.accuracy
                FROM fence f
                JOIN subject_position p
                  ON ST_DWithin(f.geom::geography, p.pos, coalesce(f.radius_meters, f.buffer_meters, 0))
                JOIN subject s ON s.id = p.subject_id
                WHERE f.id = ?
                ORDER BY p.time DESC, s.id""",
                ps -> {
                    ps.setLong(1, id);
                    List<Occupant> occupants = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            double accuracy = rs.getDouble(7);
                            occupants.add(new Occupant(
                                    String.valueOf(rs.getLong(1)),
                                    rs.getString(2),
                                    SubjectKind.valueOf(rs.getString(3)),
                                    rs.getTimestamp(4).toInstant().toString(),
                                    rs.getDouble(5),
                                    rs.getDouble(6),
                                    rs.wasNull() ? null : accuracy));
                        }
                    }
                    return occupants;
                });
    }

    private FenceDraft checked(JsonNode feature) {
        FenceDraft draft = FeatureReader.read(feature);
        var found = subjects.findAll(draft.subjects());
        int index = 0;
        for (long subject : draft.subjects()) {
            if (!found.containsKey(subject)) {
                throw ProblemException.badRequest(
                        "properties.subjects[" + index + "]", "subject " + subject + " does not exist");
            }
            index++;
        }
        return draft;
    }

    /** Binds the draft to the {@link #COLUMNS} placeholders in order; returns the next parameter index. */
    private int bind(PreparedStatement ps, FenceDraft d) throws SQLException {
        byte[] wkb = Geometries.toWkb(d.geometry());
        int i = 1;
        ps.setString(i++, d.name());
        ps.setString(i++, d.kind().name());
        ps.setBytes(i++, wkb);
        setDouble(ps, i++, d.reachMeters());
        ps.setBytes(i++, wkb);
        ps.setBytes(i++, wkb);
        setDouble(ps, i++, d.reachMeters());
        setDouble(ps, i++, d.radiusMeters());
        setDouble(ps, i++, d.bufferMeters());
        ps.setDouble(i++, d.hysteresisMeters());
        if (d.dwellMinutes() == null) {
            ps.setNull(i++, Types.INTEGER);
        } else {
            ps.setInt(i++, d.dwellMinutes());
        }
        ps.setInt(i++, d.maxGapMinutes());
        ps.setArray(i++, ps.getConnection().createArrayOf("bigint", d.subjects().toArray()));
        ps.setObject(i++, d.activeFrom(), Types.DATE);
        ps.setObject(i++, d.activeUntil(), Types.DATE);
        ps.setObject(i++, d.dailyFrom(), Types.TIME);
        ps.setObject(i++, d.dailyUntil(), Types.TIME);
        ps.setString(i++, d.zone().getId());
        ps.setArray(
                i++,
                ps.getConnection()
                        .createArrayOf(
                                "text", d.categories().stream().map(Enum::name).toArray()));
        ps.setArray(
                i++,
                ps.getConnection()
                        .createArrayOf(
                                "int2",
                                d.months().stream().map(Integer::shortValue).toArray()));
        ps.setString(i++, Json.write(Json.object(d.extra())));
        return i;
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<StoredFence> query(String sql, Binder binder) {
        return jdbc.prepareStatement(sql, ps -> {
            binder.bind(ps);
            List<StoredFence> fences = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fences.add(read(rs));
                }
            }
            return fences;
        });
    }

    private StoredFence read(ResultSet rs) throws SQLException {
        Set<Long> subjectIds = new LinkedHashSet<>(
                Arrays.asList((Long[]) rs.getArray("subjects").getArray()));
        int dwellValue = rs.getInt("dwell_minutes");
        Integer dwell = rs.wasNull() ? null : dwellValue;
        double radius = rs.getDouble("radius_meters");
        Double radiusMeters = rs.wasNull() ? null : radius;
        double buffer = rs.getDouble("buffer_meters");
        Double bufferMeters = rs.wasNull() ? null : buffer;
        FenceDraft draft = new FenceDraft(
                rs.getString("name"),
                FenceKind.valueOf(rs.getString("kind")),
                Geometries.fromWkb(rs.getBytes("wkb")),
                radiusMeters,
                bufferMeters,
                rs.getDouble("hysteresis_meters"),
                dwell,
                rs.getInt("max_gap_minutes"),
                subjectIds,
                rs.getObject("active_from", LocalDate.class),
                rs.getObject("active_until", LocalDate.class),
                rs.getObject("daily_from", LocalTime.class),
                rs.getObject("daily_until", LocalTime.class),
                ZoneId.of(rs.getString("zone")),
                months(rs),
                categories(rs),
                extra(rs.getString("properties")));
        return new StoredFence(
                rs.getLong("id"),
                draft,
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")),
                instant(rs.getTimestamp("retired_at")));
    }

    private static Set<Integer> months(ResultSet rs) throws SQLException {
        Set<Integer> months = new java.util.TreeSet<>();
        for (Number month : (Number[]) rs.getArray("active_months").getArray()) {
            months.add(month.intValue());
        }
        return months;
    }

    private static Set<SubjectCategory> categories(ResultSet rs) throws SQLException {
        Set<SubjectCategory> categories = new LinkedHashSet<>();
        for (String name : (String[]) rs.getArray("categories").getArray()) {
            categories.add(SubjectCategory.valueOf(name));
        }
        return categories;
    }

    private Map<String, JsonNode> extra(String properties) {
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : Json.parse(properties).properties()) {
                extra.put(e.getKey(), e.getValue());
            }
        } catch (Json.MalformedJson e) {
            throw new IllegalStateException("fence properties " + e.getMessage() + ": " + properties, e);
        }
        return extra;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
