package org.geoward.workorder;

/** What a work order is about; each has a default deadline in hours ({@code geoward.work-orders.deadline-hours}). */
public enum Category {
    /** A danger to people: a broken railing by the river, an open manhole (24 h). */
    SAFETY(24),
    /** A person who needs care: an elder living alone not seen for days (24 h). */
    CARE(24),
    /** Children or others at the water where they should not be (4 h). */
    WATER_SAFETY(4),
    /** Rubbish, pollution, illegal fishing gear (72 h). */
    ENVIRONMENT(72),
    /** A street light, a road surface, public facilities (48 h). */
    FACILITY(48),
    /** A dispute between neighbours (48 h). */
    DISPUTE(48),
    /** Anything else (72 h). */
    OTHER(72);

    final int defaultHours;

    Category(int defaultHours) {
        this.defaultHours = defaultHours;
    }
}
