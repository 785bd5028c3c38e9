package org.geoward.sighting;

/** Says what produced a sighting. */
public enum Source {
    GPS,
    CAMERA,
    CELL,
    MANUAL
}
