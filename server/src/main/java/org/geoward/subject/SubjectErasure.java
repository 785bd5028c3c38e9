package org.geoward.subject;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.geoward.problem.ProblemException;

/**
 * Erases a person (PIPL's right to deletion) in one transaction: their fixes, latest position, evaluator state and
 * devices are deleted; their alerts stay (so response statistics stay true) with position, evidence, notes and step
 * details removed (by the alert package, a {@link KeptAboutSubject}); the messages about those alerts and to the
 * person's phones lose their text, payload and phone; guardian links and family-account links are removed; the
 * subject row stays, anonymised, with {@code erased_at}. The audit trail keeps its rows (they hold ids, not names):
 * they are the record of who looked, which deletion must not undo. Thread-safe.
 */
@Singleton
class SubjectErasure {
    static final String ERASED = "(erased)";

    private final JdbcOperations jdbc;
    private final ApplicationEventPublisher<DirectoryChanged> directoryChanges;
    private final ApplicationEventPublisher<SubjectErased> erasures;
    private final List<KeptAboutSubject> keptElsewhere;

    SubjectErasure(
            JdbcOperations jdbc,
            ApplicationEventPublisher<DirectoryChanged> directoryChanges,
            ApplicationEventPublisher<SubjectErased> erasures,
            List<KeptAboutSubject> keptElsewhere) {
        this.jdbc = jdbc;
        this.keptElsewhere = keptElsewhere;
        this.directoryChanges = directoryChanges;
        this.erasures = erasures;
    }

    /** Erases subject {@code id}; a 404 when there is none. Erasing an erased subject again changes nothing more. */
    @Transactional
    void erase(long id) {
        List<String> phones = jdbc.prepareStatement(
                """
                SELECT s.phone FROM subject s WHERE s.id = ? AND s.phone IS NOT NULL
                UNION SELECT DISTINCT si.phone FROM sighting si WHERE si.subject_id = ? AND si.phone IS NOT NULL""",
                ps -> {
                    ps.setLong(1, id);
                    ps.setLong(2, id);
                    List<String> found = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.add(rs.getString(1));
                        }
                    }
                    return found;
                });
        int exists = update("SELECT 1 FROM subject WHERE id = ? FOR UPDATE", id, true);
        if (exists == 0) {
            throw ProblemException.notFound("subject", id);
        }
        update("DELETE FROM sighting WHERE subject_id = ?", id, false);
        update("DELETE FROM subject_position WHERE subject_id = ?", id, false);
        update("DELETE FROM subject_state WHERE subject_id = ?", id, false);
        update("DELETE FROM device WHERE subject_id = ?", id, false);
        keptElsewhere.forEach(kept -> kept.anonymise(id));
        update(
                """
                UPDATE sms_message m SET phone = '(erased)', text = '(erased)'
                FROM notification n JOIN alert a ON a.id = n.alert_id
                WHERE a.subject_id = ? AND m.message_id = n.dedupe_key""",
                id,
                false);
        update(
                """
                UPDATE notification SET text = '(erased)', payload = '{}', last_error = NULL
                WHERE alert_id IN (SELECT a.id FROM alert a WHERE a.subject_id = ?)""",
                id,
                false);
        if (!phones.isEmpty()) {
            jdbc.prepareStatement(
                    """
                    WITH p AS (SELECT unnest(?::text[]) AS phone),
                    n AS (UPDATE notification SET recipient = '(erased)', text = '(erased)', payload = '{}'
                          WHERE channel = 'SMS' AND recipient IN (SELECT phone FROM p) RETURNING id),
                    m AS (UPDATE sms_message SET phone = '(erased)', text = '(erased)'
                          WHERE phone IN (SELECT phone FROM p) RETURNING id)
                    DELETE FROM sms_quiet WHERE phone IN (SELECT phone FROM p)""",
                    ps -> {
                        ps.setArray(1, ps.getConnection().createArrayOf("text", phones.toArray()));
                        return ps.executeUpdate();
                    });
        }
        update("DELETE FROM ward_guardian WHERE ward_id = ? OR guardian_id = ?", id, false);
        update("DELETE FROM user_ward WHERE ward_id = ?", id, false);
        update("UPDATE app_user SET subject_id = NULL WHERE subject_id = ?", id, false);
        update(
                """
                UPDATE subject SET name = '(erased)', phone = NULL, track_id = NULL, attributes = '{}', consent_by = NULL,
                                   erased_at = coalesce(erased_at, now())
                WHERE id = ?""",
                id,
                false);
        directoryChanges.publishEvent(DirectoryChanged.subject(id));
        erasures.publishEvent(new SubjectErased(id));
    }

    /** Runs {@code sql} with {@code id} in every parameter; a query counts its rows, an update its changes. */
    private int update(String sql, long id, boolean query) {
        return jdbc.prepareStatement(sql, ps -> {
            int params = ps.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= params; i++) {
                ps.setLong(i, id);
            }
            if (query) {
                int rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
                return rows;
            }
            return ps.executeUpdate();
        });
    }
}
