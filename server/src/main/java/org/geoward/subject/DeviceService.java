package org.geoward.subject;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.geoward.json.JsonFields;
import org.geoward.problem.ProblemException;
import org.geoward.security.PasswordHasher;

/** Registers devices for subjects and keeps the bcrypt hash of each HTTP device's token. */
@Singleton
class DeviceService {
    private static final int TOKEN_BYTES = 24;
    private static final int MAX_UNIQUE_ID_LENGTH = 64;

    private final JdbcOperations jdbc;
    private final SubjectDirectory directory;
    private final PasswordHasher hasher;
    private final SecureRandom random = new SecureRandom();

    private final ApplicationEventPublisher<DirectoryChanged> changes;

    DeviceService(
            JdbcOperations jdbc,
            SubjectDirectory directory,
            PasswordHasher hasher,
            ApplicationEventPublisher<DirectoryChanged> changes) {
        this.changes = changes;
        this.jdbc = jdbc;
        this.directory = directory;
        this.hasher = hasher;
    }

    /**
     * Registers the device {@code body} describes ({@code uniqueId}, {@code protocol}, {@code subjectId}); for an
     * HTTP protocol, makes a random token, stores its hash and returns the token itself this once.
     */
    @Transactional
    public DeviceRegistration register(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest(null, "The body must be a JSON object describing a device");
        }
        String uniqueId = JsonFields.requiredText(body, "uniqueId", "uniqueId");
        if (uniqueId.length() > MAX_UNIQUE_ID_LENGTH || !uniqueId.matches("[\\p{Graph}]+")) {
            throw ProblemException.badRequest(
                    "uniqueId", "uniqueId must be 1 to 64 visible characters without spaces (an IMEI or app id)");
        }
        DeviceProtocol protocol = JsonFields.requiredEnum(body, "protocol", "protocol", DeviceProtocol.class);
        if (body.get("subjectId") == null || body.get("subjectId").isNull()) {
            throw ProblemException.badRequest("subjectId", "subjectId is required: the subject the device reports for");
        }
        long subjectId = JsonFields.id(body.get("subjectId"), "subjectId");
        if (directory.find(subjectId).isEmpty()) {
            throw ProblemException.badRequest("subjectId", "subject " + subjectId + " does not exist");
        }
        String token = protocol.usesToken() ? newToken() : null;
        String hash = token == null ? null : hasher.hash(token);
        Long id = jdbc.prepareStatement(
                """
                INSERT INTO device (unique_id, protocol, subject_id, token_hash) VALUES (?, ?, ?, ?)
                ON CONFLICT (unique_id) DO NOTHING RETURNING id""",
                ps -> {
                    ps.setString(1, uniqueId);
                    ps.setString(2, protocol.name());
                    ps.setLong(3, subjectId);
                    ps.setString(4, hash);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                });
        if (id == null) {
            throw ProblemException.conflict("A device with uniqueId '" + uniqueId + "' is already registered");
        }
        return new DeviceRegistration(String.valueOf(id), uniqueId, protocol, String.valueOf(subjectId), token);
    }

    /** Every registered device, oldest first, without tokens. */
    @Transactional
    public List<Device> list(Long subjectId) {
        String sql = "SELECT id, unique_id, protocol, subject_id, token_hash IS NOT NULL, created_at, last_seen_at"
                + " FROM device" + (subjectId == null ? "" : " WHERE subject_id = ?") + " ORDER BY id";
        return jdbc.prepareStatement(sql, ps -> {
            if (subjectId != null) {
                ps.setLong(1, subjectId);
            }
            List<Device> devices = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp seen = rs.getTimestamp(7);
                    devices.add(new Device(
                            String.valueOf(rs.getLong(1)),
                            rs.getString(2),
                            DeviceProtocol.valueOf(rs.getString(3)),
                            String.valueOf(rs.getLong(4)),
                            rs.getBoolean(5),
                            rs.getTimestamp(6).toInstant().toString(),
                            seen == null ? null : seen.toInstant().toString()));
                }
            }
            return devices;
        });
    }

    /** Removes the device {@code id}; its past sightings stay, without the device. A 404 when there is none. */
    @Transactional
    public void delete(long id) {
        String uniqueId = jdbc.prepareStatement("DELETE FROM device WHERE id = ? RETURNING unique_id", ps -> {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
        if (uniqueId == null) {
            throw ProblemException.notFound("device", id);
        }
        changes.publishEvent(DirectoryChanged.device(uniqueId));
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
