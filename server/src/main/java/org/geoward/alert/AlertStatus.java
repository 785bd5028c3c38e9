package org.geoward.alert;

/** Where an alert is in its life. */
public enum AlertStatus {
    OPEN,
    ACKNOWLEDGED,
    DISPATCHED,
    RESOLVED
}
