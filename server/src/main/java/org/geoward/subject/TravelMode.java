package org.geoward.subject;

/** How an officer gets to an alert; dispatch uses it for the ETA. */
public enum TravelMode {
    WALK,
    CAR,
    BOAT
}
