package org.geoward.sensor;

import org.geoward.evaluate.AlertType;

/** Says what a home sensor detects; each kind raises the alert type of the same name, with its priority. */
enum SensorKind {
    GAS(AlertType.GAS, Priority.CRITICAL, "燃气报警"),
    SMOKE(AlertType.SMOKE, Priority.CRITICAL, "烟雾报警"),
    WATER_LEAK(AlertType.WATER_LEAK, Priority.MEDIUM, "漏水报警"),
    FALL(AlertType.FALL, Priority.HIGH, "跌倒报警"),
    /** A door left open; an alarm only at night ({@code geoward.sensors.night}). */
    DOOR_OPEN(AlertType.DOOR_OPEN, Priority.HIGH, "夜间门未关");

    final AlertType alertType;
    final Priority priority;
    /** The zh-CN name, for the alert's detail line. */
    final String label;

    SensorKind(AlertType alertType, Priority priority, String label) {
        this.alertType = alertType;
        this.priority = priority;
        this.label = label;
    }

    /** The kind that raises {@code type}. */
    static SensorKind of(AlertType type) {
        return valueOf(type.name());
    }
}
