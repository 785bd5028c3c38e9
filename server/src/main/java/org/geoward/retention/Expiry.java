package org.geoward.retention;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.geoward.alert.AlertRecords;
import org.geoward.evaluate.SubjectKind;
import org.geoward.notify.MessageRecords;
import org.geoward.subject.VisitorPhones;

/**
 * The statements of a retention run, each method one transaction. Every statement gets the cut-off instant of each
 * subject kind as a {@code cut(kind, at)} table: a fix of a subject of that kind before {@code at} has expired,
 * unless it is evidence of one of the subject's alerts, that is from {@code evidenceBefore} before the alert opened up
 * to its resolution, of an alert still open or resolved after the cut-off. Thread-safe.
 */
@Singleton
class Expiry {
    private static final String CUT = "cut(kind, at) AS (VALUES ('WARD', ?::timestamptz), ('GUARDIAN', ?::timestamptz),"
            + " ('OFFICER', ?::timestamptz), ('VISITOR', ?::timestamptz))";
    private static final String EVIDENCE =
            """
            EXISTS (SELECT 1 FROM alert a
                    WHERE a.subject_id = p.subject_id AND p.time >= a.opened_at - ?::interval
                      AND (a.resolved_at IS NULL OR (p.time <= a.resolved_at AND a.resolved_at >= c.at)))""";

    private static final String DAY_PARTITION = "sighting_(ward|guardian|officer|visitor)_p\\d{8}";

    /** Where expired rows are deleted one by one: what no day partition holds. */
    private static final List<String> ROW_BY_ROW = List.of(
            "sighting_ward_default",
            "sighting_guardian_default",
            "sighting_officer_default",
            "sighting_visitor_default",
            "sighting_unclassified");

    private final JdbcOperations jdbc;
    private final AlertRecords alerts;
    private final VisitorPhones visitorPhones;
    private final MessageRecords messages;

    Expiry(JdbcOperations jdbc, AlertRecords alerts, VisitorPhones visitorPhones, MessageRecords messages) {
        this.jdbc = jdbc;
        this.alerts = alerts;
        this.visitorPhones = visitorPhones;
        this.messages = messages;
    }

    /** The cut-off of each kind and the evidence margin. */
    record Cuts(Map<SubjectKind, Instant> at, String evidenceBefore) {
        int bind(PreparedStatement ps, int first) throws SQLException {
            int i = first;
            for (SubjectKind kind :
                    new SubjectKind[] {SubjectKind.WARD, SubjectKind.GUARDIAN, SubjectKind.OFFICER, SubjectKind.VISITOR
                    }) {
                ps.setTimestamp(i++, Timestamp.from(at.get(kind)));
            }
            return i;
        }
    }

    /** What dropping one partition did. */
    record Dropped(long rows, long kept) {}

    /**
     * Detaches the day partition {@code name} from its kind's table, moves its evidence rows back into
     * {@code sighting} (to the kind's DEFAULT partition, as no day covers them any more), and drops it.
     */
    @Transactional
    Dropped drop(String name, Cuts cuts) {
        execute("ALTER TABLE " + parentOf(name) + " DETACH PARTITION " + quoted(name));
        long rows = count("SELECT count(*) FROM " + quoted(name));
        long kept = jdbc.prepareStatement(
                "WITH " + CUT + " INSERT INTO sighting SELECT p.* FROM " + quoted(name)
                        + " p JOIN subject s ON s.id = p.subject_id JOIN cut c ON c.kind = s.kind WHERE " + EVIDENCE,
                ps -> {
                    int i = cuts.bind(ps, 1);
                    ps.setString(i, cuts.evidenceBefore());
                    return (long) ps.executeUpdate();
                });
        execute("DROP TABLE " + quoted(name));
        return new Dropped(rows - kept, kept);
    }

    /**
     * Deletes, row by row, the expired fixes left where no day partition is dropped: the kinds' DEFAULT partitions
     * (evidence kept past its day, days without a partition) and {@code sighting_unclassified} (rows written without
     * a kind, judged by their subject's kind); returns [deleted, kept as evidence].
     */
    @Transactional
    long[] deleteExpiredRows(Cuts cuts, Instant latestCut) {
        long kept = 0;
        long deleted = 0;
        for (String table : ROW_BY_ROW) {
            String expired = " FROM " + table + " p JOIN subject s ON s.id = p.subject_id JOIN cut c ON c.kind = s.kind"
                    + " WHERE p.time < ? AND p.time < c.at AND ";
            kept += jdbc.prepareStatement("WITH " + CUT + " SELECT count(*)" + expired + EVIDENCE, ps -> {
                int i = cuts.bind(ps, 1);
                ps.setTimestamp(i++, Timestamp.from(latestCut));
                ps.setString(i, cuts.evidenceBefore());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            deleted += jdbc.prepareStatement(
                    "WITH " + CUT + " DELETE FROM " + table + " p USING subject s, cut c"
                            + " WHERE s.id = p.subject_id AND c.kind = s.kind AND p.time < ? AND p.time < c.at AND NOT "
                            + EVIDENCE,
                    ps -> {
                        int i = cuts.bind(ps, 1);
                        ps.setTimestamp(i++, Timestamp.from(latestCut));
                        ps.setString(i, cuts.evidenceBefore());
                        return (long) ps.executeUpdate();
                    });
        }
        return new long[] {deleted, kept};
    }

    /** Removes the evidence photo URLs of alerts resolved before their subject's cut-off; returns how many. */
    @Transactional
    long clearPhotos(Cuts cuts) {
        return alerts.forgetEvidence(cuts.at());
    }

    /**
     * Removes the phone numbers of visitors not seen since {@code cut} and without an alert open or resolved since,
     * the quiet-period records of phones warned before it, and the phone of SMS sent to visitors for alerts resolved
     * before it; returns how many visitors and messages.
     */
    @Transactional
    long clearVisitorPhones(Instant cut) {
        long visitors = visitorPhones.eraseUnseenSince(cut);
        long expired = messages.expireVisitorPhones(cut);
        return visitors + expired;
    }

    private void execute(String sql) {
        jdbc.prepareStatement(sql, PreparedStatement::execute);
    }

    private long count(String sql) {
        return jdbc.prepareStatement(sql, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static String quoted(String name) {
        if (!name.matches(DAY_PARTITION)) {
            throw new IllegalArgumentException("not a day partition of sighting: " + name);
        }
        return '"' + name + '"';
    }

    /** The kind's table a day partition hangs from: {@code sighting_visitor_p20261206} → {@code sighting_visitor}. */
    private static String parentOf(String name) {
        quoted(name);
        return '"' + name.substring(0, name.lastIndexOf("_p")) + '"';
    }
}
