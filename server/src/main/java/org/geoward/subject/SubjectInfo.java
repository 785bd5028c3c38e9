package org.geoward.subject;

import java.util.Set;
import org.geoward.evaluate.SubjectCategory;
import org.geoward.evaluate.SubjectKind;

/**
 * What ingest and the evaluator need to know of a subject.
 *
 * @param guardianIds for a WARD, the subjects of its guardians; empty otherwise
 * @param offlineMinutes for a WARD, silence after which OFFLINE is raised (null: the default, 30)
 * @param consented for a WARD, whether a guardian's consent to tracking is on record; true for other kinds
 * @param erased whether the person was erased (no fix of theirs is taken any more)
 * @param category for a WARD, its key population, or null when none is recorded
 */
public record SubjectInfo(
        long id,
        SubjectKind kind,
        String name,
        String phone,
        Set<Long> guardianIds,
        Integer offlineMinutes,
        boolean consented,
        boolean erased,
        SubjectCategory category) {

    /** Whether fixes of this subject may be stored: not erased, and for a ward with consent on record. */
    public boolean isTrackable(boolean consentRequired) {
        return !erased && (consented || !consentRequired || kind != SubjectKind.WARD);
    }
}
