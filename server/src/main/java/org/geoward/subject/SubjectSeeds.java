package org.geoward.subject;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.Collection;

/**
 * The subject rows (with their guardian links and devices) a seeder makes and removes (the demo city), inside the
 * caller's transaction: each seeded subject carries {@code attributes.demo} (the seed's name) and {@code
 * attributes.demoKey} (its key within the seed), so that seeding again finds it instead of making a second.
 * Thread-safe.
 */
@Singleton
public class SubjectSeeds {
    private final JdbcOperations jdbc;

    SubjectSeeds(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** A subject to seed; {@code unit} makes an officer AVAILABLE. */
    public record Seed(
            String seed,
            String key,
            String kind,
            String name,
            @Nullable String phone,
            @Nullable Integer offlineMinutes,
            @Nullable String unit,
            @Nullable String travelMode) {}

    /** The id of the subject seeded as {@code seed}'s {@code key}, made now if it is missing. */
    public long findOrCreate(Seed s) {
        Long found = jdbc.prepareStatement(
                "SELECT id FROM subject WHERE attributes ->> 'demo' = ? AND attributes ->> 'demoKey' = ?", ps -> {
                    ps.setString(1, s.seed());
                    ps.setString(2, s.key());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                });
        if (found != null) {
            return found;
        }
        return jdbc.prepareStatement(
                """
                INSERT INTO subject (kind, name, phone, offline_minutes, unit, status, travel_mode, attributes)
                VALUES (?, ?, ?, ?, ?, ?, ?, jsonb_build_object('demo', ?::text, 'demoKey', ?::text)) RETURNING id""",
                ps -> {
                    ps.setString(1, s.kind());
                    ps.setString(2, s.name());
                    ps.setString(3, s.phone());
                    ps.setObject(4, s.offlineMinutes(), Types.INTEGER);
                    ps.setString(5, s.unit());
                    ps.setString(6, s.unit() == null ? null : "AVAILABLE");
                    ps.setString(7, s.travelMode());
                    ps.setString(8, s.seed());
                    ps.setString(9, s.key());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
    }

    /** Gives seeded ward {@code wardId} its key population ({@code category}, a SubjectCategory name). */
    public int categorise(long wardId, String category) {
        return jdbc.prepareStatement("UPDATE subject SET category = ? WHERE id = ? AND kind = 'WARD'", ps -> {
            ps.setString(1, category);
            ps.setLong(2, wardId);
            return ps.executeUpdate();
        });
    }

    /** Records {@code by}'s consent (text version {@code textVersion}) for ward {@code wardId} unless one is there. */
    public int consentUnlessRecorded(long wardId, String by, String textVersion) {
        return jdbc.prepareStatement(
                """
                UPDATE subject SET consent_by = ?, consent_at = now(), consent_text_version = ?
                WHERE id = ? AND consent_at IS NULL""",
                ps -> {
                    ps.setString(1, by);
                    ps.setString(2, textVersion);
                    ps.setLong(3, wardId);
                    return ps.executeUpdate();
                });
    }

    /** Links ward {@code wardId} to guardian {@code guardianId} unless they are linked. */
    public int linkGuardian(long wardId, long guardianId) {
        return jdbc.prepareStatement(
                "INSERT INTO ward_guardian (ward_id, guardian_id) VALUES (?, ?) ON CONFLICT DO NOTHING", ps -> {
                    ps.setLong(1, wardId);
                    ps.setLong(2, guardianId);
                    return ps.executeUpdate();
                });
    }

    /**
     * Binds device {@code uniqueId} ({@code protocol}) to subject {@code subjectId}, rebinding it if it exists; a
     * null {@code tokenHash} keeps the device's token.
     */
    public int bindDevice(String uniqueId, String protocol, long subjectId, @Nullable String tokenHash) {
        return jdbc.prepareStatement(
                """
                INSERT INTO device (unique_id, protocol, subject_id, token_hash) VALUES (?, ?, ?, ?)
                ON CONFLICT (unique_id) DO UPDATE SET subject_id = EXCLUDED.subject_id,
                    protocol = EXCLUDED.protocol, token_hash = coalesce(EXCLUDED.token_hash, device.token_hash)""",
                ps -> {
                    ps.setString(1, uniqueId);
                    ps.setString(2, protocol);
                    ps.setLong(3, subjectId);
                    ps.setString(4, tokenHash);
                    return ps.executeUpdate();
                });
    }

    /** Deletes the devices of the subjects {@code ids}; returns how many. */
    public int deleteDevicesOf(Collection<Long> ids) {
        return jdbc.prepareStatement("DELETE FROM device WHERE subject_id = ANY (?)", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids.toArray()));
            return ps.executeUpdate();
        });
    }

    /** Deletes the subjects {@code ids} (what refers to them must be gone or cascade); returns how many. */
    public int delete(Collection<Long> ids) {
        return jdbc.prepareStatement("DELETE FROM subject WHERE id = ANY (?)", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids.toArray()));
            return ps.executeUpdate();
        });
    }
}
