package org.geoward.workorder;

/** Where a work order came from. */
public enum Source {
    /** An officer's app. */
    APP,
    /** A dispatcher at the console. */
    DISPATCHER,
    /** Raised from another alert. */
    ALERT,
    /** A citizen's report form. */
    CITIZEN
}
