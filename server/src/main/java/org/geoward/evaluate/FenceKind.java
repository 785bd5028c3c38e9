package org.geoward.evaluate;

/** Says what a fence guards against. */
public enum FenceKind {
    /** The wards it names must stay inside while it is active; leaving alone raises WANDER. */
    SAFE,
    /** Entering it (or crossing it between two fixes) raises DANGER; applies to every WARD by default. */
    DANGER,
    /** Staying inside for dwellMinutes raises LOITER; applies to everyone by default. */
    BAN,
    /**
     * A grid cell of the city's grid management: it names who is responsible for a place and raises nothing. The
     * evaluator never loads GRID fences; dispatch reads them to prefer the grid's own officer.
     */
    GRID
}
