package org.geoward.sighting;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Appends sightings to {@code sighting} in one statement per batch and moves {@code subject_position} forward to each
 * subject's newest fix, in the same statement: the rows travel as one array per column ({@code unnest}), so a batch
 * of 10,000 costs one round trip. Rows whose (subject, event time) is already stored are skipped.
 */
@Singleton
class SightingStore {
    private static final String INSERT =
            """
            WITH input AS (
                SELECT * FROM unnest(?::bigint[], ?::text[], ?::float8[], ?::float8[], ?::float4[], ?::text[],
                                     ?::float4[], ?::float4[], ?::float4[], ?::text[], ?::bool[], ?::text[],
                                     ?::text[], ?::bigint[])
                    AS t(subject_id, time, lon, lat, accuracy, source, speed, heading, battery, companions, sos,
                         phone, evidence_url, device_id)
            ), stored AS (
                INSERT INTO sighting (subject_id, time, pos, accuracy, source, speed, heading, battery, companions, sos,
                                      phone, evidence_url, device_id)
                SELECT subject_id, time::timestamptz, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, accuracy,
                       source, speed, heading, battery, companions::bigint[], sos, phone, evidence_url, device_id
                FROM input
                ON CONFLICT (subject_id, time) DO NOTHING
                RETURNING subject_id, time, pos, accuracy, battery, source
            ), latest AS (
                INSERT INTO subject_position AS p (subject_id, time, pos, accuracy, battery, source)
                SELECT DISTINCT ON (subject_id) subject_id, time, pos, accuracy, battery, source
                FROM stored ORDER BY subject_id, time DESC
                ON CONFLICT (subject_id) DO UPDATE
                    SET time = EXCLUDED.time, pos = EXCLUDED.pos, accuracy = EXCLUDED.accuracy,
                        battery = EXCLUDED.battery, source = EXCLUDED.source
                    WHERE p.time < EXCLUDED.time
            )
            SELECT subject_id, time FROM stored""";

    private final JdbcOperations jdbc;

    SightingStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores {@code sightings} (unique by subject and event time) and commits; returns those that were new, in the
     * order given. Those not returned were stored before.
     */
    @Transactional
    public List<Sighting> store(List<Sighting> sightings) {
        if (sightings.isEmpty()) {
            return List.of();
        }
        Set<Key> inserted = jdbc.prepareStatement(INSERT, ps -> {
            bind(ps, sightings);
            Set<Key> keys = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new Key(
                            rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
                }
            }
            return keys;
        });
        List<Sighting> fresh = new ArrayList<>(inserted.size());
        for (Sighting s : sightings) {
            if (inserted.contains(new Key(s.subjectId(), s.time()))) {
                fresh.add(s);
            }
        }
        return fresh;
    }

    private static void bind(PreparedStatement ps, List<Sighting> rows) throws SQLException {
        int n = rows.size();
        Long[] subject = new Long[n];
        String[] time = new String[n];
        Double[] lon = new Double[n];
        Double[] lat = new Double[n];
        Float[] accuracy = new Float[n];
        String[] source = new String[n];
        Float[] speed = new Float[n];
        Float[] heading = new Float[n];
        Float[] battery = new Float[n];
        String[] companions = new String[n];
        Boolean[] sos = new Boolean[n];
        String[] phone = new String[n];
        String[] evidence = new String[n];
        Long[] device = new Long[n];
        for (int i = 0; i < n; i++) {
            Sighting s = rows.get(i);
            subject[i] = s.subjectId();
            time[i] = s.time().toString();
            lon[i] = s.lon();
            lat[i] = s.lat();
            accuracy[i] = toFloat(s.accuracy());
            source[i] = s.source().name();
            speed[i] = toFloat(s.speed());
            heading[i] = toFloat(s.heading());
            battery[i] = toFloat(s.battery());
            companions[i] = s.companions().isEmpty()
                    ? null
                    : s.companions().stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
            sos[i] = s.sos();
            phone[i] = s.phone();
            evidence[i] = s.evidenceUrl();
            device[i] = s.deviceId();
        }
        Connection c = ps.getConnection();
        Object[][] columns = {
            subject, time, lon, lat, accuracy, source, speed, heading, battery, companions, sos, phone, evidence, device
        };
        String[] types = {
            "int8", "text", "float8", "float8", "float4", "text", "float4", "float4", "float4", "text", "bool", "text",
            "text", "int8"
        };
        for (int i = 0; i < columns.length; i++) {
            ps.setArray(i + 1, c.createArrayOf(types[i], columns[i]));
        }
    }

    private static Float toFloat(Double d) {
        return d == null ? null : d.floatValue();
    }

    /** A stored sighting's identity. */
    record Key(long subjectId, Instant time) {}
}
