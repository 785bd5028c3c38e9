package org.geoward.retention;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.geoward.clock.SteadyClock;
import org.geoward.evaluate.SubjectKind;
import org.geoward.lease.ClusterLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily retention run, in order: (1) make the day partitions of every kind for today and the next days; (2) drop
 * whole every day partition older than its kind's retention, after moving its evidence rows out; (3) delete the
 * expired rows left in the kinds' DEFAULT partitions and in {@code sighting_unclassified}; (4) remove expired evidence photo URLs of alerts and visitors'
 * phone numbers; (5) record what was done in {@code retention_run}. Checked hourly: partitions are made every time,
 * the expiry runs once a day in the configured zone when {@code geoward.retention.enabled} (and on demand,
 * {@code POST /api/retention/run}). One run at a time on this node. Thread-safe.
 */
@Singleton
public class RetentionJob {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    private final RetentionSettings settings;
    private final Partitions partitions;
    private final Expiry expiry;
    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;
    private final ClusterLease lease;
    private final SteadyClock clock;

    RetentionJob(
            RetentionSettings settings,
            Partitions partitions,
            Expiry expiry,
            JdbcOperations jdbc,
            TransactionOperations<Connection> tx,
            ClusterLease lease,
            SteadyClock clock) {
        this.clock = clock;
        this.lease = lease;
        this.settings = settings;
        this.partitions = partitions;
        this.expiry = expiry;
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        makePartitionsAhead(clock.latest());
    }

    /** Runs the expiry now, by the steady clock (partitions ahead first); answers what it did. */
    RetentionRun runNow() {
        makePartitionsAhead(clock.latest());
        return run(clock.instant());
    }

    /** Hourly: partitions ahead, and the day's expiry when enabled and not yet done today. */
    @Scheduled(fixedDelay = "${geoward.retention.check-every:1h}", initialDelay = "1m")
    void check() {
        Instant now = clock.instant();
        makePartitionsAhead(clock.latest());
        // in a cluster, the node holding the lease runs the expiry (making partitions ahead is safe on every node)
        if (settings.isEnabled() && !ranToday(now) && lease.holds("retention", Duration.ofHours(3))) {
            run(now);
        }
    }

    /** Makes the day partitions from the day of {@code now} to {@code days-ahead} days later; returns their names. */
    List<String> makePartitionsAhead(Instant now) {
        ZoneId zone = settings.zoneId();
        LocalDate today = now.atZone(zone).toLocalDate();
        List<String> made = new ArrayList<>();
        for (int i = 0; i <= settings.getDaysAhead(); i++) {
            LocalDate day = today.plusDays(i);
            for (SubjectKind kind : Partitions.KINDS) {
                try {
                    made.add(partitions.make(kind, day, settings.getZone()));
                } catch (RuntimeException e) {
                    LOG.warn(
                            "could not make the {} sighting partition of {}: its fixes go to {}_default: {}",
                            kind,
                            day,
                            Partitions.parentOf(kind),
                            e.toString());
                }
            }
        }
        return made;
    }

    /** Expires against {@code asOf} and records the run; a failure is recorded in the run and logged. */
    public synchronized RetentionRun run(Instant asOf) {
        long id = tx.executeWrite(status -> jdbc.prepareStatement(
                "INSERT INTO retention_run (started_at, as_of) VALUES (clock_timestamp(), ?) RETURNING id", ps -> {
                    ps.setTimestamp(1, Timestamp.from(asOf));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }));
        List<String> dropped = new ArrayList<>();
        long droppedRows = 0;
        long kept = 0;
        long deleted = 0;
        long photos = 0;
        long phones = 0;
        String error = null;
        try {
            ZoneId zone = settings.zoneId();
            LocalDate today = asOf.atZone(zone).toLocalDate();
            Map<SubjectKind, Instant> cut = new EnumMap<>(SubjectKind.class);
            settings.days()
                    .forEach((kind, days) -> cut.put(
                            kind, today.minusDays(days).atStartOfDay(zone).toInstant()));
            Expiry.Cuts cuts = new Expiry.Cuts(cut, settings.getEvidenceBefore().toSeconds() + " seconds");
            for (Partitions.Day day : partitions.days()) {
                // the oldest day kept of the partition's kind: its retention ends at that day's midnight
                LocalDate oldestKept = today.minusDays(settings.days().get(day.kind()));
                if (day.day().isBefore(oldestKept)) {
                    Expiry.Dropped d = expiry.drop(day.name(), cuts);
                    dropped.add(day.name());
                    droppedRows += d.rows();
                    kept += d.kept();
                }
            }
            Instant latestCut = cut.values().stream().max(Instant::compareTo).orElseThrow();
            long[] rows = expiry.deleteExpiredRows(cuts, latestCut);
            deleted = rows[0];
            kept += rows[1];
            photos = expiry.clearPhotos(cuts);
            phones = expiry.clearVisitorPhones(cut.get(SubjectKind.VISITOR));
            LOG.info(
                    "retention as of {}: dropped {} ({} rows), deleted {} rows, kept {} as evidence, cleared {} photos,"
                            + " {} phones",
                    asOf,
                    dropped,
                    droppedRows,
                    deleted,
                    kept,
                    photos,
                    phones);
        } catch (RuntimeException e) {
            LOG.error("the retention run as of {} failed", asOf, e);
            error = e.toString();
        }
        record(id, dropped, droppedRows, deleted, kept, photos, phones, error);
        return runs(1).get(0);
    }

    private void record(
            long id,
            List<String> dropped,
            long droppedRows,
            long deleted,
            long kept,
            long photos,
            long phones,
            String error) {
        tx.executeWrite(status -> jdbc.prepareStatement(
                """
                UPDATE retention_run SET finished_at = clock_timestamp(), dropped_partitions = ?, dropped_rows = ?,
                    deleted_rows = ?, kept_evidence = ?, cleared_photos = ?, cleared_phones = ?, error = ?
                WHERE id = ?""",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", dropped.toArray()));
                    ps.setLong(2, droppedRows);
                    ps.setLong(3, deleted);
                    ps.setLong(4, kept);
                    ps.setLong(5, photos);
                    ps.setLong(6, phones);
                    ps.setString(7, error);
                    ps.setLong(8, id);
                    return ps.executeUpdate();
                }));
    }

    private boolean ranToday(Instant now) {
        ZoneId zone = settings.zoneId();
        Instant startOfDay = now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
        return tx.executeRead(status -> jdbc.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM retention_run WHERE started_at >= ? AND error IS NULL AND finished_at IS NOT NULL)",
                ps -> {
                    ps.setTimestamp(1, Timestamp.from(startOfDay));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBoolean(1);
                    }
                }));
    }

    /** The newest {@code limit} runs, newest first. */
    List<RetentionRun> runs(int limit) {
        return tx.executeRead(status -> jdbc.prepareStatement(
                """
                SELECT id, started_at, finished_at, as_of, dropped_partitions, dropped_rows, deleted_rows, kept_evidence,
                       cleared_photos, cleared_phones, error
                FROM retention_run ORDER BY id DESC LIMIT ?""",
                ps -> {
                    ps.setInt(1, limit);
                    List<RetentionRun> runs = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            runs.add(read(rs));
                        }
                    }
                    return runs;
                }));
    }

    private static RetentionRun read(ResultSet rs) throws SQLException {
        Array dropped = rs.getArray(5);
        Timestamp finished = rs.getTimestamp(3);
        return new RetentionRun(
                rs.getLong(1),
                rs.getTimestamp(2).toInstant().toString(),
                finished == null ? null : finished.toInstant().toString(),
                rs.getTimestamp(4).toInstant().toString(),
                Arrays.asList((String[]) dropped.getArray()),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8),
                rs.getLong(9),
                rs.getLong(10),
                rs.getString(11));
    }
}
