package org.geoward.subject;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;

/**
 * The one VISITOR subject that citizens' reports (no account, no device) are filed under, made on first use. Lives
 * here because the subject package owns the {@code subject} table.
 */
@Singleton
public class CitizenReporter {
    /** The name the console shows for reports by citizens. */
    public static final String NAME = "市民报告 (citizen report)";

    private final JdbcOperations jdbc;

    CitizenReporter(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** The citizen reporter's subject id, made in this transaction when it does not exist yet. */
    @Transactional
    public long id() {
        return jdbc.prepareStatement(
                """
                WITH found AS (SELECT id FROM subject WHERE kind = 'VISITOR' AND attributes ->> 'citizenReports' = 'true'
                               ORDER BY id LIMIT 1),
                     made AS (INSERT INTO subject (kind, name, attributes)
                              SELECT 'VISITOR', ?, '{"citizenReports": "true"}'::jsonb WHERE NOT EXISTS (SELECT 1 FROM found)
                              RETURNING id)
                SELECT id FROM found UNION ALL SELECT id FROM made""",
                ps -> {
                    ps.setString(1, NAME);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
    }
}
