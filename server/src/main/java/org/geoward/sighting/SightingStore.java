package org.geoward.sighting;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * Appends sightings to the log, {@code sighting}, in one statement per batch: a binary COPY ({@link #copy}), or the
 * deduplicating insert ({@link #append}) whose rows travel as one array per column ({@code unnest}), so a batch of
 * 10,000 costs one round trip either way. Each row carries its subject's kind, the
 * partition (retention class) it goes to (V44). Rows whose (subject, event time) is already stored are skipped; the
 * new ones get their log position ({@code seq}) in the order given.
 */
@Singleton
class SightingStore {
    private static final String INSERT =
            """
            INSERT INTO sighting (subject_id, time, pos, accuracy, source, speed, heading, battery, companions, sos,
                                  phone, evidence_url, device_id, kind)
            SELECT subject_id, time::timestamptz, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, accuracy,
                   source, speed, heading, battery, companions::bigint[], sos, phone, evidence_url, device_id,
                   (SELECT s.kind FROM subject s WHERE s.id = t.subject_id)
            FROM unnest(?::bigint[], ?::text[], ?::float8[], ?::float8[], ?::float4[], ?::text[],
                        ?::float4[], ?::float4[], ?::float4[], ?::text[], ?::bool[], ?::text[],
                        ?::text[], ?::bigint[])
                AS t(subject_id, time, lon, lat, accuracy, source, speed, heading, battery, companions, sos,
                     phone, evidence_url, device_id)
            ON CONFLICT (subject_id, time, kind) DO NOTHING
            RETURNING seq, subject_id, time""";

    private final JdbcOperations jdbc;

    SightingStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Appends {@code sightings} (unique by subject and event time) inside the caller's transaction, in the order
     * given, and returns the log position ({@code seq}) of each row that was new, by key. Rows not returned were
     * stored before.
     */
    Map<Key, Long> append(List<Sighting> sightings) {
        if (sightings.isEmpty()) {
            return Map.of();
        }
        return jdbc.prepareStatement(INSERT, ps -> {
            bind(ps, sightings);
            Map<Key, Long> keys = new HashMap<>(sightings.size() * 2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.put(
                            new Key(
                                    rs.getLong(2),
                                    rs.getObject(3, OffsetDateTime.class).toInstant()),
                            rs.getLong(1));
                }
            }
            return keys;
        });
    }

    /**
     * Appends {@code sightings} (unique by subject and event time, each with a position) inside the caller's
     * transaction by a binary COPY, faster than {@link #append} but without its guard: a row whose (subject, event
     * time) is already stored fails the whole COPY with a unique violation (SQLSTATE 23505), which rolls the
     * transaction back; the caller then stores the batch with {@link #append}. {@code kinds} gives each subject's kind
     * (its partition). Returns the log position of every row, by key, allocated in the order given.
     */
    Map<Key, Long> copy(List<Sighting> sightings, Map<Long, String> kinds) {
        if (sightings.isEmpty()) {
            return Map.of();
        }
        int n = sightings.size();
        long[] seqs = jdbc.prepareStatement("SELECT nextval('sighting_seq_seq') FROM generate_series(1, ?)", ps -> {
            ps.setInt(1, n);
            long[] out = new long[n];
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < n && rs.next(); i++) {
                    out[i] = rs.getLong(1);
                }
            }
            return out;
        });
        String[] kindOf = new String[n];
        for (int i = 0; i < n; i++) {
            kindOf[i] = kinds.get(sightings.get(i).subjectId());
        }
        byte[] data = SightingCopy.encode(sightings, seqs, kindOf);
        jdbc.execute(connection -> {
            try {
                return connection
                        .unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(
                                "COPY sighting (" + SightingCopy.COLUMNS + ") FROM STDIN (FORMAT binary)",
                                new ByteArrayInputStream(data));
            } catch (IOException e) {
                throw new UncheckedIOException(e); // reading a byte array does not fail
            }
        });
        Map<Key, Long> keys = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            Sighting s = sightings.get(i);
            keys.put(new Key(s.subjectId(), s.time()), seqs[i]);
        }
        return keys;
    }

    /** A row of the log. */
    record Row(long seq, Sighting sighting) {}

    /** Reads up to {@code limit} rows after log position {@code position}, in log order. */
    List<Row> readAfter(long position, int limit) {
        return jdbc.prepareStatement(
                """
                SELECT seq, subject_id, time, ST_X(pos::geometry), ST_Y(pos::geometry), accuracy, source, speed,
                       heading, battery, companions, sos, phone, evidence_url, device_id
                FROM sighting WHERE seq > ? ORDER BY seq LIMIT ?""",
                ps -> {
                    ps.setLong(1, position);
                    ps.setInt(2, limit);
                    List<Row> rows = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            java.sql.Array companions = rs.getArray(11);
                            rows.add(new Row(
                                    rs.getLong(1),
                                    Sighting.builder()
                                            .subject(rs.getLong(2))
                                            .time(rs.getObject(3, OffsetDateTime.class)
                                                    .toInstant())
                                            .at(rs.getDouble(4), rs.getDouble(5))
                                            .accuracy(number(rs, 6))
                                            .source(Source.valueOf(rs.getString(7)))
                                            .speed(number(rs, 8))
                                            .heading(number(rs, 9))
                                            .battery(number(rs, 10))
                                            .companions(
                                                    companions == null
                                                            ? List.of()
                                                            : Arrays.asList((Long[]) companions.getArray()))
                                            .sos(rs.getBoolean(12))
                                            .phone(rs.getString(13))
                                            .evidenceUrl(rs.getString(14))
                                            .deviceRow(rs.getObject(15, Long.class))
                                            .build()));
                        }
                    }
                    return rows;
                });
    }

    private static Double number(ResultSet rs, int column) throws SQLException {
        Object value = rs.getObject(column);
        return value == null ? null : ((Number) value).doubleValue();
    }

    /** The highest log position stored, or 0 for an empty log. */
    long lastPosition() {
        return jdbc.prepareStatement("SELECT coalesce(max(seq), 0) FROM sighting", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
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
            device[i] = s.deviceRow();
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
