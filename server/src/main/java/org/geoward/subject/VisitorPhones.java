package org.geoward.subject;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Forgets visitors' phone numbers on the subject, inside the caller's transaction, one statement each: the notifications' rule
 * (some days after a visitor's last alert) and retention's (visitors not seen since the cut-off). Thread-safe.
 */
@Singleton
public class VisitorPhones {
    private final JdbcOperations jdbc;

    VisitorPhones(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Erases the phone of every visitor whose alerts are all resolved, the last more than {@code days} days ago, and
     * who still has one on the subject or on a fix; returns their ids (the caller has the log forget the phones on
     * their fixes).
     */
    public List<Long> eraseAfterLastAlert(int days) {
        return jdbc.prepareStatement(
                """
                WITH due AS (
                    SELECT s.id FROM subject s
                    WHERE s.kind = 'VISITOR'
                      AND (s.phone IS NOT NULL
                           OR EXISTS (SELECT 1 FROM sighting si WHERE si.subject_id = s.id AND si.phone IS NOT NULL))
                      AND EXISTS (SELECT 1 FROM alert a WHERE a.subject_id = s.id)
                      AND NOT EXISTS (SELECT 1 FROM alert a WHERE a.subject_id = s.id
                                      AND (a.status <> 'RESOLVED' OR a.resolved_at > now() - make_interval(days => ?)))
                )
                UPDATE subject s SET phone = NULL FROM due WHERE s.id = due.id RETURNING s.id""",
                ps -> {
                    ps.setInt(1, days);
                    List<Long> ids = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                        }
                    }
                    return ids;
                });
    }

    /**
     * Erases the phone of every visitor registered before {@code cut}, not seen since and without an alert open or
     * resolved since; returns how many.
     */
    public long eraseUnseenSince(Instant cut) {
        Timestamp at = Timestamp.from(cut);
        return jdbc.prepareStatement(
                """
                UPDATE subject s SET phone = NULL
                WHERE s.kind = 'VISITOR' AND s.phone IS NOT NULL AND s.created_at < ?
                  AND NOT EXISTS (SELECT 1 FROM subject_position p WHERE p.subject_id = s.id AND p.time >= ?)
                  AND NOT EXISTS (SELECT 1 FROM alert a WHERE a.subject_id = s.id
                                  AND (a.resolved_at IS NULL OR a.resolved_at >= ?))""",
                ps -> {
                    ps.setTimestamp(1, at);
                    ps.setTimestamp(2, at);
                    ps.setTimestamp(3, at);
                    return (long) ps.executeUpdate();
                });
    }
}
