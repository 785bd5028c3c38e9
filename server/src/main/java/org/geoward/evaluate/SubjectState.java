package org.geoward.evaluate;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Holds the durable evaluator state of one subject: the last evaluated fix, per fence whether the subject is
 * inside and since when, BAN episodes, held-back WANDERs, and the alerts open. Round-trips through {@link #toJson()}
 * / {@link #fromJson(String)} so a restart resumes every open episode.
 *
 * <p>Mutable and not thread-safe: one subject's fixes are evaluated by one thread at a time, and
 * {@link Evaluator#evaluate} updates the state it is given in place.
 */
public final class SubjectState {
    /** Marks {@link #lastFixSecond} of a subject never seen. */
    static final long NO_FIX = Long.MIN_VALUE;

    /** Says on which side of a fence the subject was last decided to be. */
    public enum Side {
        INSIDE,
        OUTSIDE
    }

    /** Names an alert: its type and fence (null for SOS and OFFLINE). */
    public record AlertKey(AlertType type, Long fenceId) {
        public AlertKey {
            Objects.requireNonNull(type, "type");
        }
    }

    /** Holds what the evaluator remembers about one subject in one fence. */
    public static final class FenceState {
        Side side;
        Instant since;
        Instant episodeStart;
        Instant lastInside;
        boolean loiterRaised;
        boolean wanderPending;

        public Side side() {
            return side;
        }

        /** Returns when the current side was decided. */
        public Instant since() {
            return since;
        }

        /** Returns the start of the current BAN episode, or null. */
        public Instant episodeStart() {
            return episodeStart;
        }

        /** Returns the event time of the last fix of the BAN episode, or null. */
        public Instant lastInside() {
            return lastInside;
        }

        public boolean isLoiterRaised() {
            return loiterRaised;
        }

        /** Tells whether a WANDER is held back because a guardian was with the ward. */
        public boolean isWanderPending() {
            return wanderPending;
        }

        void moveTo(Side newSide, Instant at) {
            if (side != newSide) {
                side = newSide;
                since = at;
            }
        }
    }

    /** Event time of the last evaluated fix as epoch seconds and nanoseconds; {@link #NO_FIX} when none. */
    long lastFixSecond = NO_FIX;

    int lastFixNano;
    double lastLon = Double.NaN;
    double lastLat = Double.NaN;
    double lastAccuracy = Double.NaN;
    final FenceStates fences = new FenceStates();
    final OpenAlerts open = new OpenAlerts();

    /** Creates the state of a subject never seen before. */
    public SubjectState() {}

    /** Returns the event time of the last evaluated fix, or null. */
    public Instant lastFixTime() {
        return lastFixSecond == NO_FIX ? null : Instant.ofEpochSecond(lastFixSecond, lastFixNano);
    }

    /** Sets the event time of the last evaluated fix; null means none. */
    void setLastFixTime(Instant time) {
        lastFixSecond = time == null ? NO_FIX : time.getEpochSecond();
        lastFixNano = time == null ? 0 : time.getNano();
    }

    /** Compares the time with the last evaluated fix's: negative if earlier, 0 if equal, positive if later or none. */
    int compareToLastFix(Instant time) {
        if (lastFixSecond == NO_FIX) {
            return 1;
        }
        int c = Long.compare(time.getEpochSecond(), lastFixSecond);
        return c != 0 ? c : Integer.compare(time.getNano(), lastFixNano);
    }

    /** Returns the longitude of the last fix that decided anything, or NaN. */
    public double lastLon() {
        return lastLon;
    }

    /** Returns the latitude of the last fix that decided anything, or NaN. */
    public double lastLat() {
        return lastLat;
    }

    /** Returns the state in one fence, or null when nothing is known. */
    public FenceState fence(long fenceId) {
        return fences.get(fenceId);
    }

    /** Returns the per-fence states by fence id (read-only). */
    public Map<Long, FenceState> fences() {
        return fences.toMap();
    }

    /** Returns the open alerts and when each opened (read-only). */
    public Map<AlertKey, Instant> openAlerts() {
        return open.toMap();
    }

    /** Tells whether an alert of the type is open for the fence (null for SOS / OFFLINE). */
    public boolean isOpen(AlertType type, Long fenceId) {
        return open.contains(type, fenceId);
    }

    /** Tells whether any alert is open for the subject. */
    public boolean hasOpenAlerts() {
        return !open.isEmpty();
    }

    /** Forgets an open alert that was resolved outside the evaluator (e.g. by a dispatcher), so it may open again. */
    public void markResolved(AlertType type, Long fenceId) {
        open.remove(type, fenceId);
    }

    boolean hasLastPosition() {
        return !Double.isNaN(lastLon) && !Double.isNaN(lastLat);
    }

    /** Returns an independent copy. */
    public SubjectState copy() {
        return fromJson(toJson());
    }

    /** Writes the state as a small JSON object. */
    public String toJson() {
        return StateJson.write(this);
    }

    /** Reads a state written by {@link #toJson()}; null or blank gives an empty state. */
    public static SubjectState fromJson(String json) {
        return json == null || json.isBlank() ? new SubjectState() : StateJson.read(json);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
