package org.geoward.dispatch;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.geoward.evaluate.SubjectKind;
import org.geoward.sighting.SubjectMoved;

/** Records an officer's arrival when their newest fix comes within 50 m of the alert they were sent to. */
@Singleton
final class ArrivalListener {
    private final AssignmentService assignments;

    ArrivalListener(AssignmentService assignments) {
        this.assignments = assignments;
    }

    @EventListener
    void onMoved(SubjectMoved moved) {
        if (moved.kind() == SubjectKind.OFFICER) {
            assignments.onOfficerFix(moved.subjectId(), moved.lon(), moved.lat(), moved.time());
        }
    }
}
