package org.geoward.sensor;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.geoward.evaluate.SubjectCategory;
import org.geoward.json.JsonFields;
import org.geoward.json.JsonValues;
import org.geoward.problem.ProblemException;
import org.geoward.security.PasswordHasher;

/** Registers, lists and removes home sensors, and checks a sensor's token. Each public method is one transaction. */
@Singleton
class SensorService {
    private static final int TOKEN_BYTES = 24;
    private static final int MAX_UNIQUE_ID_LENGTH = 64;
    private static final int MAX_ROOM_LENGTH = 100;
    private static final String SELECT = "SELECT id, subject_id, kind, unique_id, ST_X(pos::geometry) AS lon,"
            + " ST_Y(pos::geometry) AS lat, room, created_at, last_alarm_at, token_hash FROM home_sensor";

    private final JdbcOperations jdbc;
    private final PasswordHasher hasher;
    private final SecureRandom random = new SecureRandom();

    SensorService(JdbcOperations jdbc, PasswordHasher hasher) {
        this.jdbc = jdbc;
        this.hasher = hasher;
    }

    /** A stored sensor with its token hash, for the alarm door. */
    record Stored(HomeSensor sensor, String tokenHash) {
        long subjectId() {
            return Long.parseLong(sensor.subjectId());
        }

        SensorKind kind() {
            return SensorKind.valueOf(sensor.kind());
        }
    }

    /**
     * Registers the sensor {@code body} describes ({@code kind}, {@code uniqueId}, the home's {@code lon}/{@code
     * lat}, {@code room}?) at ward {@code subjectId}'s home; the answer carries its token, this once.
     */
    @Transactional
    public HomeSensor register(long subjectId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest(null, "The body must be a JSON object describing a home sensor");
        }
        SensorKind kind = JsonFields.requiredEnum(body, "kind", "kind", SensorKind.class);
        String uniqueId = JsonFields.requiredText(body, "uniqueId", "uniqueId");
        if (uniqueId.length() > MAX_UNIQUE_ID_LENGTH || !uniqueId.matches("[\\p{Graph}]+")) {
            throw ProblemException.badRequest(
                    "uniqueId", "uniqueId must be 1 to 64 visible characters without spaces (a serial number or MAC)");
        }
        double lon = coordinate(body, "lon", 180);
        double lat = coordinate(body, "lat", 90);
        String room = JsonFields.optionalText(body, "room", "room");
        if (room != null && room.length() > MAX_ROOM_LENGTH) {
            throw ProblemException.badRequest("room", "room must be at most " + MAX_ROOM_LENGTH + " characters");
        }
        requireWardTaking(subjectId, kind);
        String token = newToken();
        Long id = jdbc.prepareStatement(
                """
                INSERT INTO home_sensor (subject_id, kind, unique_id, token_hash, pos, room)
                VALUES (?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?)
                ON CONFLICT (unique_id) DO NOTHING RETURNING id""",
                ps -> {
                    ps.setLong(1, subjectId);
                    ps.setString(2, kind.name());
                    ps.setString(3, uniqueId);
                    ps.setString(4, hasher.hash(token));
                    ps.setDouble(5, lon);
                    ps.setDouble(6, lat);
                    ps.setString(7, room == null || room.isEmpty() ? null : room);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                });
        if (id == null) {
            throw ProblemException.conflict("A home sensor with uniqueId '" + uniqueId + "' is already registered");
        }
        HomeSensor s = find(id).orElseThrow().sensor();
        return new HomeSensor(
                s.id(), s.subjectId(), s.kind(), s.uniqueId(), s.lon(), s.lat(), s.room(), s.createdAt(), null, token);
    }

    /** The sensors at ward {@code subjectId}'s home, oldest first, without tokens. */
    @Transactional
    public List<HomeSensor> list(long subjectId) {
        requireSubject(subjectId);
        return jdbc.prepareStatement(SELECT + " WHERE subject_id = ? ORDER BY id", ps -> {
            ps.setLong(1, subjectId);
            List<HomeSensor> sensors = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sensors.add(read(rs).sensor());
                }
            }
            return sensors;
        });
    }

    /** The sensor {@code id}, with its token hash. */
    @Transactional
    public Optional<Stored> find(long id) {
        return one(SELECT + " WHERE id = ?", id);
    }

    /** The sensor with unique id {@code uniqueId}, with its token hash. */
    @Transactional
    public Optional<Stored> findByUniqueId(String uniqueId) {
        return jdbc.prepareStatement(SELECT + " WHERE unique_id = ?", ps -> {
            ps.setString(1, uniqueId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        });
    }

    /** Whether {@code token} is the sensor's (bcrypt; tens of milliseconds, so alarms only). */
    boolean tokenMatches(Stored sensor, String token) {
        return token != null && hasher.matches(token, sensor.tokenHash());
    }

    /** Notes when sensor {@code id} last reported an alarm. */
    @Transactional
    public void alarmed(long id, Instant at) {
        jdbc.prepareStatement(
                "UPDATE home_sensor SET last_alarm_at = greatest(coalesce(last_alarm_at, ?), ?) WHERE id = ?", ps -> {
                    ps.setTimestamp(1, Timestamp.from(at));
                    ps.setTimestamp(2, Timestamp.from(at));
                    ps.setLong(3, id);
                    return ps.executeUpdate();
                });
    }

    /** Removes sensor {@code id}; its alerts stay. A 404 when there is none. */
    @Transactional
    public void delete(long id) {
        int removed = jdbc.prepareStatement("DELETE FROM home_sensor WHERE id = ?", ps -> {
            ps.setLong(1, id);
            return ps.executeUpdate();
        });
        if (removed == 0) {
            throw ProblemException.notFound("home sensor", id);
        }
    }

    private Optional<Stored> one(String sql, long id) {
        return jdbc.prepareStatement(sql, ps -> {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        });
    }

    private void requireSubject(long subjectId) {
        boolean exists = jdbc.prepareStatement("SELECT 1 FROM subject WHERE id = ?", ps -> {
            ps.setLong(1, subjectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
        if (!exists) {
            throw ProblemException.notFound("subject", subjectId);
        }
    }

    private void requireWardTaking(long subjectId, SensorKind kind) {
        String refusal = jdbc.prepareStatement("SELECT kind, category FROM subject WHERE id = ?", ps -> {
            ps.setLong(1, subjectId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "";
                }
                if (!"WARD".equals(rs.getString(1))) {
                    return "Home sensors belong to a WARD's home; subject " + subjectId + " is a " + rs.getString(1);
                }
                String name = rs.getString(2);
                SubjectCategory category =
                        SubjectCategory.orDefault(name == null ? null : SubjectCategory.valueOf(name));
                return category.takes(kind.alertType)
                        ? null
                        : "Ward " + subjectId + " is a " + category + ": " + kind
                                + " alarms do not apply to that key population (docs/key-populations.md)";
            }
        });
        if ("".equals(refusal)) {
            throw ProblemException.notFound("subject", subjectId);
        }
        if (refusal != null) {
            throw ProblemException.badRequest("kind", refusal);
        }
    }

    private static Stored read(ResultSet rs) throws SQLException {
        Timestamp alarm = rs.getTimestamp("last_alarm_at");
        return new Stored(
                new HomeSensor(
                        String.valueOf(rs.getLong("id")),
                        String.valueOf(rs.getLong("subject_id")),
                        rs.getString("kind"),
                        rs.getString("unique_id"),
                        rs.getDouble("lon"),
                        rs.getDouble("lat"),
                        rs.getString("room"),
                        rs.getTimestamp("created_at").toInstant().toString(),
                        alarm == null ? null : alarm.toInstant().toString(),
                        null),
                rs.getString("token_hash"));
    }

    private static double coordinate(JsonNode body, String name, double bound) {
        JsonNode value = body.get(name);
        if (value == null || !value.isNumber() || !(Math.abs(value.doubleValue()) <= bound)) {
            throw ProblemException.badRequest(
                    name,
                    name + " (the home's " + (bound == 90 ? "latitude" : "longitude") + ") is required, in degrees"
                            + " between -" + (int) bound + " and " + (int) bound + ", not "
                            + (value == null ? "missing" : JsonValues.show(value)));
        }
        return value.doubleValue();
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
