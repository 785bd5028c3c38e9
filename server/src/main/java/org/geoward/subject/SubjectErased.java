package org.geoward.subject;

/**
 * A person was erased at their request: whatever remembers their fixes, state or position in memory forgets it.
 * Published inside the erasing transaction; listeners act after its commit.
 */
public record SubjectErased(long subjectId) {}
