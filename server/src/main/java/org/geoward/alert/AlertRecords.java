package org.geoward.alert;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.geoward.evaluate.SubjectKind;
import org.geoward.subject.KeptAboutSubject;

/**
 * What privacy and retention change on stored alerts, inside the caller's transaction: evidence photos forgotten
 * after the retention period, a person's alerts anonymised by their erasure (the alerts stay, so response statistics
 * stay true), a removed subject's alerts deleted. Thread-safe.
 */
@Singleton
public class AlertRecords implements KeptAboutSubject {
    private static final SubjectKind[] KINDS = {
        SubjectKind.WARD, SubjectKind.GUARDIAN, SubjectKind.OFFICER, SubjectKind.VISITOR
    };

    private final JdbcOperations jdbc;

    AlertRecords(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Removes the evidence photo URLs of alerts resolved before the cut-off of their subject's kind ({@code cuts}
     * holds one for each of WARD, GUARDIAN, OFFICER and VISITOR); returns how many alerts lost theirs.
     */
    public long forgetEvidence(Map<SubjectKind, Instant> cuts) {
        return jdbc.prepareStatement(
                """
                WITH cut(kind, at) AS (VALUES ('WARD', ?::timestamptz), ('GUARDIAN', ?::timestamptz),
                                              ('OFFICER', ?::timestamptz), ('VISITOR', ?::timestamptz))
                UPDATE alert a SET evidence_url = NULL FROM subject s, cut c
                WHERE s.id = a.subject_id AND c.kind = s.kind AND a.evidence_url IS NOT NULL AND a.resolved_at < c.at""",
                ps -> {
                    for (int i = 0; i < KINDS.length; i++) {
                        ps.setTimestamp(i + 1, Timestamp.from(cuts.get(KINDS[i])));
                    }
                    return (long) ps.executeUpdate();
                });
    }

    /**
     * Anonymises the alerts of subject {@code subjectId}, who is being erased: their position, evidence, note and
     * detail, and the detail of every step on their timelines. Status, times and actors stay.
     */
    @Override
    public void anonymise(long subjectId, List<String> phones) {
        jdbc.prepareStatement(
                "UPDATE alert SET pos = NULL, evidence_url = NULL, note = NULL, detail = NULL WHERE subject_id = ?",
                ps -> {
                    ps.setLong(1, subjectId);
                    return ps.executeUpdate();
                });
        jdbc.prepareStatement(
                "UPDATE alert_event SET detail = '{}' WHERE alert_id IN (SELECT a.id FROM alert a WHERE a.subject_id = ?)",
                ps -> {
                    ps.setLong(1, subjectId);
                    return ps.executeUpdate();
                });
    }

    /** Deletes the alerts of the subjects {@code subjectIds} (with their timelines); returns how many. */
    public int deleteOf(Collection<Long> subjectIds) {
        return jdbc.prepareStatement("DELETE FROM alert WHERE subject_id = ANY (?)", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("bigint", subjectIds.toArray()));
            return ps.executeUpdate();
        });
    }
}
