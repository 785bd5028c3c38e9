package org.geoward.evaluate;

/** Says what kind of person a subject is; it decides which fences apply by default. */
public enum SubjectKind {
    WARD,
    GUARDIAN,
    OFFICER,
    VISITOR
}
