package org.geoward.subject;

/** The service an officer belongs to. */
public enum Unit {
    POLICE,
    FISHERIES
}
