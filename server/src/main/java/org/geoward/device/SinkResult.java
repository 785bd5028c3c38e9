package org.geoward.device;

import java.util.Objects;

/**
 * What a {@link PositionSink} did with a position.
 *
 * @param outcome accepted, rejected (the connection stays open), unknown device (the listener closes it) or busy
 *     (not stored now: the listener does not acknowledge it, so the device sends it again)
 * @param reason why, for the log; empty when accepted
 */
public record SinkResult(Outcome outcome, String reason) {

    /** How a sink answered. */
    public enum Outcome {
        ACCEPTED,
        REJECTED,
        UNKNOWN_DEVICE,
        BUSY
    }

    public SinkResult {
        Objects.requireNonNull(outcome, "outcome");
        reason = reason == null ? "" : reason;
    }

    public static SinkResult accepted() {
        return new SinkResult(Outcome.ACCEPTED, "");
    }

    public static SinkResult rejected(String reason) {
        return new SinkResult(Outcome.REJECTED, reason);
    }

    public static SinkResult unknownDevice(String reason) {
        return new SinkResult(Outcome.UNKNOWN_DEVICE, reason);
    }

    public static SinkResult busy(String reason) {
        return new SinkResult(Outcome.BUSY, reason);
    }

    public boolean isAccepted() {
        return outcome == Outcome.ACCEPTED;
    }
}
