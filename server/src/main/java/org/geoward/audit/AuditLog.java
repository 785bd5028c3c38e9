package org.geoward.audit;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Appends to the audit trail, one row per call in its own transaction; the database numbers the row and chains its
 * hash (trigger {@code audit_chain}, V27). Thread-safe.
 */
@Singleton
public class AuditLog {
    private final JdbcOperations jdbc;

    AuditLog(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends {@code entry}; the subject comes from the alert or device it names when it names none itself. */
    @Transactional
    public void append(AuditRecord entry) {
        jdbc.prepareStatement(
                """
                INSERT INTO audit_entry (username, role, action, method, endpoint, path, query, subject_id, alert_id,
                                         purpose, status, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?,
                        coalesce(?, (SELECT a.subject_id FROM alert a WHERE a.id = ?),
                                 (SELECT d.subject_id FROM device d WHERE d.id = ?)),
                        ?, ?, ?, '\\x', '\\x')""",
                ps -> {
                    ps.setString(1, entry.username());
                    ps.setString(2, entry.role());
                    ps.setString(3, entry.action().name());
                    ps.setString(4, entry.method());
                    ps.setString(5, entry.endpoint());
                    ps.setString(6, entry.path());
                    ps.setString(7, entry.query());
                    setLong(ps, 8, entry.subjectId());
                    setLong(ps, 9, entry.alertId());
                    setLong(ps, 10, entry.deviceId());
                    setLong(ps, 11, entry.alertId());
                    ps.setString(12, entry.purpose());
                    ps.setInt(13, entry.status());
                    return ps.executeUpdate();
                });
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
