package org.geoward.sighting;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each subject's newest fix, kept in memory as the log commits and written behind to {@code subject_position}
 * (coalesced: one row per subject per flush, every {@code geoward.ingest.position-flush}, default 500 ms), where
 * dispatch's nearest-officer search and the occupancy queries read it with PostGIS. A crash loses at most the last
 * flush's worth, and the replay of the log at start puts it back. Thread-safe.
 */
@Singleton
public class LatestPositions {
    private static final Logger LOG = LoggerFactory.getLogger(LatestPositions.class);

    /** A subject's newest fix: WGS 84 degrees, accuracy metres and battery percent (null when not reported). */
    public record Latest(
            long subjectId, Instant time, double lon, double lat, Double accuracy, Double battery, Source source) {}

    private final Map<Long, Latest> latest = new ConcurrentHashMap<>();
    private final Set<Long> dirty = ConcurrentHashMap.newKeySet();
    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;

    LatestPositions(JdbcOperations jdbc, TransactionOperations<Connection> tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * Takes a committed fix: it becomes the subject's latest, to be written behind, unless an older one is known (one
     * of the same time too: {@link #seen} may have put it here first).
     */
    void offer(Sighting s) {
        Latest next = latest(s);
        Latest merged =
                latest.merge(s.subjectId(), next, (old, now) -> now.time().isBefore(old.time()) ? old : now);
        if (merged == next) {
            dirty.add(s.subjectId());
        }
    }

    /**
     * Cluster mode: a guardian's fix read from Kafka that the node owning the guardian stores and writes behind: it
     * becomes the latest here if it is newer than the one known, and is not written by this node.
     */
    void seen(Sighting s) {
        latest.merge(s.subjectId(), latest(s), (old, now) -> now.time().isAfter(old.time()) ? now : old);
    }

    private static Latest latest(Sighting s) {
        return new Latest(s.subjectId(), s.time(), s.lon(), s.lat(), s.accuracy(), s.battery(), s.source());
    }

    /**
     * Cluster mode: this node gave up the partition of the subjects {@code whose}, so their next fixes are stored and
     * evaluated elsewhere: writes what is not written yet, then forgets their positions (those still unwritten after a
     * failed write excepted), so that {@link #of} does not answer with the position seen while this node owned them
     * and the caller asks the database instead.
     */
    public void handOver(LongPredicate whose) {
        flush();
        latest.keySet().removeIf(id -> whose.test(id) && !dirty.contains(id));
    }

    /** Forgets an erased person's latest fix, so that it is neither answered nor written back. */
    void forget(long subjectId) {
        dirty.remove(subjectId);
        latest.remove(subjectId);
    }

    /** Deletes the stored latest position of subject {@code subjectId}, inside the caller's transaction. */
    void deleteStored(long subjectId) {
        jdbc.prepareStatement("DELETE FROM subject_position WHERE subject_id = ?", ps -> {
            ps.setLong(1, subjectId);
            return ps.executeUpdate();
        });
    }

    /** The newest fix of the subject seen since this server started, or empty (then ask the database). */
    public Optional<Latest> of(long subjectId) {
        return Optional.ofNullable(latest.get(subjectId));
    }

    /** Writes every position that changed since the last flush; what fails stays to be written next time. */
    @Scheduled(fixedDelay = "${geoward.ingest.position-flush:500ms}")
    public void flush() {
        if (dirty.isEmpty()) {
            return;
        }
        List<Latest> rows = new ArrayList<>(dirty.size());
        for (Long id : dirty) {
            dirty.remove(id);
            Latest row = latest.get(id);
            if (row != null) { // forgotten meanwhile (erased, or handed over)
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        try {
            tx.executeWrite(status -> write(rows));
        } catch (RuntimeException e) {
            rows.forEach(r -> dirty.add(r.subjectId()));
            LOG.warn(
                    "writing {} latest positions failed; trying again at the next flush: {}",
                    rows.size(),
                    e.toString());
        }
    }

    @PreDestroy
    void close() {
        flush();
    }

    private int write(List<Latest> rows) {
        int n = rows.size();
        Long[] ids = new Long[n];
        String[] times = new String[n];
        Double[] lons = new Double[n];
        Double[] lats = new Double[n];
        Double[] accuracy = new Double[n];
        Double[] battery = new Double[n];
        String[] source = new String[n];
        for (int i = 0; i < n; i++) {
            Latest r = rows.get(i);
            ids[i] = r.subjectId();
            times[i] = r.time().toString();
            lons[i] = r.lon();
            lats[i] = r.lat();
            accuracy[i] = r.accuracy();
            battery[i] = r.battery();
            source[i] = r.source().name();
        }
        return jdbc.prepareStatement(
                """
                INSERT INTO subject_position AS p (subject_id, time, pos, accuracy, battery, source)
                SELECT v.id, v.t::timestamptz, ST_SetSRID(ST_MakePoint(v.lon, v.lat), 4326)::geography, v.accuracy,
                       v.battery, v.source
                FROM unnest(?::bigint[], ?::text[], ?::float8[], ?::float8[], ?::float4[], ?::float4[], ?::text[])
                     AS v(id, t, lon, lat, accuracy, battery, source)
                WHERE EXISTS (SELECT 1 FROM subject s WHERE s.id = v.id)
                ORDER BY v.id
                ON CONFLICT (subject_id) DO UPDATE
                    SET time = EXCLUDED.time, pos = EXCLUDED.pos, accuracy = EXCLUDED.accuracy,
                        battery = EXCLUDED.battery, source = EXCLUDED.source
                    WHERE p.time < EXCLUDED.time""",
                ps -> {
                    Connection c = ps.getConnection();
                    ps.setArray(1, c.createArrayOf("bigint", ids));
                    ps.setArray(2, c.createArrayOf("text", times));
                    ps.setArray(3, c.createArrayOf("float8", lons));
                    ps.setArray(4, c.createArrayOf("float8", lats));
                    ps.setArray(5, c.createArrayOf("float8", accuracy));
                    ps.setArray(6, c.createArrayOf("float8", battery));
                    ps.setArray(7, c.createArrayOf("text", source));
                    return ps.executeUpdate();
                });
    }
}
