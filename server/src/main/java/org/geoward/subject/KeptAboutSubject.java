package org.geoward.subject;

import java.util.List;

/**
 * What another package keeps about a subject and must erase or anonymise when the person is erased:
 * {@link SubjectErasure} calls every implementation inside the erasure's transaction, so each owning package writes
 * its own tables (the log its fixes and latest positions, the evaluation its states, the alert package its alerts and
 * their timeline, notify its messages and quiet periods) and this package needs no import
 * of them. Implementations must not depend on each other's order.
 */
public interface KeptAboutSubject {

    /**
     * Removes what identifies or locates subject {@code subjectId} from the records this package owns; {@code phones}
     * are the numbers the person used (on the subject and on their fixes), read before anything was erased.
     */
    void anonymise(long subjectId, List<String> phones);
}
