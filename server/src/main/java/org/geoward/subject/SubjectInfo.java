package org.geoward.subject;

import java.util.Set;
import org.geoward.evaluate.SubjectKind;

/**
 * What ingest and the evaluator need to know of a subject.
 *
 * @param guardianIds for a WARD, the subjects of its guardians; empty otherwise
 * @param offlineMinutes for a WARD, silence after which OFFLINE is raised (null: the default, 30)
 */
public record SubjectInfo(
        long id, SubjectKind kind, String name, String phone, Set<Long> guardianIds, Integer offlineMinutes) {}
