package org.geoward.dispatch;

/** How an officer moves; its speed ({@link DispatchSettings#speedKmh}) turns a distance into an ETA. */
public enum TravelMode {
    WALK,
    CAR,
    BOAT;

    /** The mode named by {@code text} (any case), or {@link #WALK} when it is missing or unknown. */
    static TravelMode parse(String text) {
        if (text != null) {
            for (TravelMode mode : values()) {
                if (mode.name().equalsIgnoreCase(text.trim())) {
                    return mode;
                }
            }
        }
        return WALK;
    }
}
