package org.geoward.sensor;

/** How urgent a home alarm is: CRITICAL (gas, smoke) before HIGH (a fall, a door open at night) before MEDIUM. */
public enum Priority {
    CRITICAL,
    HIGH,
    MEDIUM
}
