package org.geoward.subject;

/**
 * What another package keeps about a subject and must anonymise when the person is erased: {@link SubjectErasure}
 * calls every implementation inside the erasure's transaction, so the owning package writes its own tables (the
 * alert package its alerts and their timeline) and this package needs no import of it.
 */
public interface KeptAboutSubject {

    /** Removes what identifies or locates subject {@code subjectId} from the records this package owns. */
    void anonymise(long subjectId);
}
