package org.geoward.security;

/** What a user account may do. */
public enum Role {
    /** Manages fences, subjects, devices and accounts; sees everything. */
    ADMIN,
    /** Sees every alert and assigns officers. */
    DISPATCHER,
    /** Sees the alerts of their unit and their own assignments. */
    OFFICER,
    /** Sees only the wards they guard. */
    FAMILY,
    /** Reads the audit trail (who looked at whom, who changed what) and nothing else. */
    AUDITOR
}
