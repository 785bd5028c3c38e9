package org.geoward.evaluate;

/**
 * Names the alerts: those the evaluator opens, WORK_ORDER, which people open (package workorder), and the home
 * alarms, which a ward's home sensors open (package sensor).
 */
public enum AlertType {
    WANDER,
    DANGER,
    LOITER,
    OFFLINE,
    SOS,
    /** An issue reported by an officer's app, a dispatcher or from another alert; never opened by the evaluator. */
    WORK_ORDER,
    /** A gas leak at a ward's home. */
    GAS,
    /** Smoke at a ward's home. */
    SMOKE,
    /** Water leaking at a ward's home. */
    WATER_LEAK,
    /** A fall detected (a home fall detector, or a worn tracker that reports one). */
    FALL,
    /** A ward's door left open at night. */
    DOOR_OPEN;

    /** Tells whether this is a home alarm, opened by a sensor rather than by the evaluator. */
    public boolean isHomeAlarm() {
        return this == GAS || this == SMOKE || this == WATER_LEAK || this == FALL || this == DOOR_OPEN;
    }
}
