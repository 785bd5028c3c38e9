package org.geoward.audit;

/** What an audited request did. */
public enum AuditAction {
    /** Read data (GET). */
    READ,
    /** Changed data (POST, PUT, PATCH, DELETE). */
    CHANGE
}
