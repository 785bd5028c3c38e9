package org.geoward.workorder;

/** How severe a work order is, set when it is analysed. */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL
}
