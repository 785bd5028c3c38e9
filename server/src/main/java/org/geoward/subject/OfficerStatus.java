package org.geoward.subject;

/** Whether an officer can be sent now. */
public enum OfficerStatus {
    AVAILABLE,
    BUSY,
    OFF_DUTY
}
