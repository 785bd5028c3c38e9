package org.geoward.notify;

/** Which message a template is: the alert type (and step) it tells of, and to whom. */
enum TemplateKey {
    /** OPENED WANDER: to the ward's guardians and the dispatchers. */
    WANDER,
    /** OPENED DANGER: to the ward's guardians and the dispatchers. */
    DANGER,
    /** OPENED SOS: to the ward's guardians and the dispatchers. */
    SOS,
    /** OPENED OFFLINE: to the ward's guardians and the dispatchers. */
    OFFLINE,
    /** RESOLVED with outcome RETURNED ("back in the safe zone"): to the ward's guardians. */
    RETURNED,
    /** OPENED LOITER: the warning SMS to the person loitering in a ban zone. */
    LOITER,
    /** OPENED LOITER: the in-app note to the officers of the unit that answers LOITER. */
    LOITER_OFFICERS
}
