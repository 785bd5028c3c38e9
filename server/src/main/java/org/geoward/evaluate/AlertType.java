package org.geoward.evaluate;

/** Names the alerts the evaluator opens. */
public enum AlertType {
    WANDER,
    DANGER,
    LOITER,
    OFFLINE,
    SOS
}
