package org.geoward.subject;

/**
 * What another package keeps that names an officer unit (the work orders ordered to it, the grid fences it answers
 * for): {@link Units} calls every implementation inside a rename's transaction, so the owning package writes its own
 * table and this package needs no import of it.
 */
public interface UnitReferences {

    /** Makes the records this package owns that name unit {@code from} name unit {@code to}. */
    void renameUnit(String from, String to);
}
