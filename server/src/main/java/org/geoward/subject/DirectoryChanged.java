package org.geoward.subject;

/**
 * Published inside a transaction that changed what {@link SubjectDirectory} remembers; the directory forgets it
 * once that transaction has committed. One of the two is set.
 *
 * @param subjectId a subject whose kind, name, phone, offline limit or guardians changed, or that was removed
 * @param deviceUniqueId a device that was removed or re-bound
 */
record DirectoryChanged(Long subjectId, String deviceUniqueId) {
    static DirectoryChanged subject(long id) {
        return new DirectoryChanged(id, null);
    }

    static DirectoryChanged device(String uniqueId) {
        return new DirectoryChanged(null, uniqueId);
    }
}
