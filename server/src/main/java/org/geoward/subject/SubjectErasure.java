package org.geoward.subject;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.geoward.account.AccountRecords;
import org.geoward.problem.ProblemException;

/**
 * Erases a person (PIPL's right to deletion) in one transaction: their devices and guardian links are deleted here;
 * every package that keeps something about them erases it in its own tables, as a {@link KeptAboutSubject} (ingest
 * their fixes and latest position, the evaluation their state, the alert package the position, evidence, notes and
 * step details of their alerts, which stay so that response statistics stay true, notify the text, payload and phone
 * of the messages about those alerts and to the person's phones); the accounts' links to them are removed through
 * {@link AccountRecords} (account sits below this package); the subject row
 * stays, anonymised, with {@code erased_at}. The audit trail keeps its rows (they hold ids, not names):
 * they are the record of who looked, which deletion must not undo. Thread-safe.
 */
@Singleton
class SubjectErasure {
    static final String ERASED = "(erased)";

    private final JdbcOperations jdbc;
    private final ApplicationEventPublisher<DirectoryChanged> directoryChanges;
    private final ApplicationEventPublisher<SubjectErased> erasures;
    private final List<KeptAboutSubject> keptElsewhere;
    private final AccountRecords accounts;

    SubjectErasure(
            JdbcOperations jdbc,
            AccountRecords accounts,
            ApplicationEventPublisher<DirectoryChanged> directoryChanges,
            ApplicationEventPublisher<SubjectErased> erasures,
            List<KeptAboutSubject> keptElsewhere) {
        this.jdbc = jdbc;
        this.accounts = accounts;
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
        keptElsewhere.forEach(kept -> kept.anonymise(id, phones));
        accounts.unlink(id);
        update("DELETE FROM device WHERE subject_id = ?", id, false);
        update("DELETE FROM ward_guardian WHERE ward_id = ? OR guardian_id = ?", id, false);
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
