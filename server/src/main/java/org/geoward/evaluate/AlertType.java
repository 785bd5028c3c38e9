package org.geoward.evaluate;

/** Names the alerts: those the evaluator opens, and WORK_ORDER, which people open (package workorder). */
public enum AlertType {
    WANDER,
    DANGER,
    LOITER,
    OFFLINE,
    SOS,
    /** An issue reported by an officer's app, a dispatcher or from another alert; never opened by the evaluator. */
    WORK_ORDER
}
