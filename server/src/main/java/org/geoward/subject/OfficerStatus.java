package org.geoward.subject;

/** What an officer is doing, as far as dispatch is concerned. */
public enum OfficerStatus {
    /** On duty and free to be assigned. */
    AVAILABLE,
    /** Assigned to an alert, or otherwise occupied. */
    BUSY,
    /** Not on duty; never assigned. */
    OFF_DUTY
}
