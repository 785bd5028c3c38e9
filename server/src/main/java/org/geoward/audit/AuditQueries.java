package org.geoward.audit;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads the audit trail for the API. Thread-safe. */
@Singleton
public class AuditQueries {
    private static final String COLUMNS =
            "id, at, username, role, action, method, endpoint, path, query, subject_id, alert_id, purpose, status, hash";

    private final JdbcOperations jdbc;

    AuditQueries(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** What to list; null members do not filter. */
    record Filter(Long subjectId, String user, Instant from, Instant to, Long before, int limit) {}

    /** The entries {@code filter} selects, newest first, one page. */
    @Transactional
    AuditEntry.Page page(Filter filter) {
        String sql = "SELECT " + COLUMNS + " FROM audit_entry"
                + " WHERE (?::bigint IS NULL OR subject_id = ?) AND (?::text IS NULL OR username = ?)"
                + " AND (?::timestamptz IS NULL OR at >= ?) AND (?::timestamptz IS NULL OR at < ?)"
                + " AND (?::bigint IS NULL OR id < ?)"
                + " ORDER BY id DESC LIMIT ?";
        List<AuditEntry> entries = jdbc.prepareStatement(sql, ps -> {
            ps.setObject(1, filter.subjectId());
            ps.setObject(2, filter.subjectId());
            ps.setString(3, filter.user());
            ps.setString(4, filter.user());
            ps.setTimestamp(5, filter.from() == null ? null : Timestamp.from(filter.from()));
            ps.setTimestamp(6, filter.from() == null ? null : Timestamp.from(filter.from()));
            ps.setTimestamp(7, filter.to() == null ? null : Timestamp.from(filter.to()));
            ps.setTimestamp(8, filter.to() == null ? null : Timestamp.from(filter.to()));
            ps.setObject(9, filter.before());
            ps.setObject(10, filter.before());
            ps.setInt(11, filter.limit() + 1);
            List<AuditEntry> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(read(rs));
                }
            }
            return found;
        });
        Long next = null;
        if (entries.size() > filter.limit()) {
            entries = entries.subList(0, filter.limit());
            next = entries.get(entries.size() - 1).id();
        }
        return new AuditEntry.Page(List.copyOf(entries), next);
    }

    /** The entries about {@code subjectId}, oldest first, for a person's export. */
    @Transactional
    public List<AuditEntry> aboutSubject(long subjectId) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM audit_entry WHERE subject_id = ? ORDER BY id", ps -> {
            ps.setLong(1, subjectId);
            List<AuditEntry> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(read(rs));
                }
            }
            return found;
        });
    }

    /** Checks the whole chain in one pass over the table, in id order. */
    @Transactional
    AuditEntry.Verification verify() {
        return jdbc.prepareStatement(
                """
                WITH chain AS (
                    SELECT e.id, e.prev_hash, e.hash,
                           sha256(e.prev_hash || convert_to(audit_canonical(e), 'UTF8')) AS computed,
                           lag(e.id) OVER (ORDER BY e.id) AS prev_id,
                           lag(e.hash) OVER (ORDER BY e.id) AS prev_row_hash
                    FROM audit_entry e
                ), broken AS (
                    SELECT id,
                           CASE WHEN computed <> hash THEN 'the row''s content does not match its hash'
                                WHEN prev_id IS NULL AND id <> 1 THEN 'rows before this one are missing'
                                WHEN prev_id IS NOT NULL AND id <> prev_id + 1 THEN 'rows before this one are missing'
                                WHEN prev_id IS NOT NULL AND prev_hash <> prev_row_hash
                                    THEN 'the row does not chain to the one before it'
                                WHEN prev_id IS NULL AND prev_hash <> decode(repeat('00', 32), 'hex')
                                    THEN 'the first row does not start the chain'
                           END AS reason
                    FROM chain
                )
                SELECT (SELECT count(*) FROM audit_entry),
                       (SELECT b.id FROM broken b WHERE b.reason IS NOT NULL ORDER BY b.id LIMIT 1),
                       (SELECT b.reason FROM broken b WHERE b.reason IS NOT NULL ORDER BY b.id LIMIT 1),
                       h.last_id, h.last_hash,
                       (SELECT e.id FROM audit_entry e ORDER BY e.id DESC LIMIT 1),
                       (SELECT e.hash FROM audit_entry e ORDER BY e.id DESC LIMIT 1)
                FROM audit_head h""",
                ps -> {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        long count = rs.getLong(1);
                        long brokenAt = rs.getLong(2);
                        if (!rs.wasNull()) {
                            return new AuditEntry.Verification(false, count, brokenAt, rs.getString(3));
                        }
                        long headId = rs.getLong(4);
                        byte[] headHash = rs.getBytes(5);
                        long lastId = rs.getLong(6);
                        byte[] lastHash = rs.getBytes(7);
                        if (headId != lastId || (lastHash != null && !java.util.Arrays.equals(headHash, lastHash))) {
                            return new AuditEntry.Verification(
                                    false,
                                    count,
                                    lastId + 1,
                                    "the head says the chain ends at row " + headId + ", but the last row is " + lastId
                                            + ": rows at the end are missing");
                        }
                        return new AuditEntry.Verification(true, count, null, null);
                    }
                });
    }

    private static AuditEntry read(ResultSet rs) throws SQLException {
        long subject = rs.getLong("subject_id");
        String subjectId = rs.wasNull() ? null : Long.toString(subject);
        long alert = rs.getLong("alert_id");
        String alertId = rs.wasNull() ? null : Long.toString(alert);
        return new AuditEntry(
                rs.getLong("id"),
                rs.getTimestamp("at").toInstant().toString(),
                rs.getString("username"),
                rs.getString("role"),
                AuditAction.valueOf(rs.getString("action")),
                rs.getString("method"),
                rs.getString("endpoint"),
                rs.getString("path"),
                rs.getString("query"),
                subjectId,
                alertId,
                rs.getString("purpose"),
                rs.getInt("status"),
                HexFormat.of().formatHex(rs.getBytes("hash")));
    }
}
