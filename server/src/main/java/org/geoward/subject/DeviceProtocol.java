package org.geoward.subject;

/** How a device reports its positions. */
public enum DeviceProtocol {
    /** Geoward's own JSON over HTTP. */
    JSON,
    /** OsmAnd / Traccar Client over HTTP. */
    OSMAND,
    /** OwnTracks over HTTP. */
    OWNTRACKS,
    /** GT06 trackers over TCP; they identify by IMEI and carry no token. */
    GT06;

    /** Whether the device reports over HTTP and must present a token. */
    public boolean usesToken() {
        return this != GT06;
    }
}
