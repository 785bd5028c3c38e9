package org.geoward.subject;

/** How an officer gets to an alert; dispatch turns a distance into an ETA with its speed. */
public enum TravelMode {
    WALK,
    CAR,
    BOAT;

    /** The mode named by {@code text} (any case), or {@link #WALK} when it is missing or unknown. */
    public static TravelMode parse(String text) {
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
