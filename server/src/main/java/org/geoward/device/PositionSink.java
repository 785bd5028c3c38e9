package org.geoward.device;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.geoward.sighting.Sighting;

/**
 * Receives the positions a device listener decoded. Called on the listener's I/O thread: implementations should
 * hand the position on rather than block.
 */
@FunctionalInterface
public interface PositionSink {

    /** Takes one decoded position; the result says whether it was accepted. */
    SinkResult accept(Sighting position);

    /**
     * As {@link #accept}, for sinks that store the position somewhere slow: the stage completes once the position is
     * stored (or refused, or found busy), and only then does a listener acknowledge it to the device. Called on the
     * listener's I/O thread; must not block. The default answers {@link #accept} at once.
     */
    default CompletionStage<SinkResult> acceptAsync(Sighting position) {
        return CompletableFuture.completedFuture(accept(position));
    }

    /**
     * Answers whether a device with this unique id (IMEI for GT06) is registered. Listeners ask it at login and
     * close the connection of unknown devices. The default accepts every device.
     */
    default boolean isKnown(String uniqueId) {
        return true;
    }

    /**
     * As {@link #isKnown}, for sinks that must look the device up somewhere slow: listeners call this one, on their
     * I/O thread, and continue when it completes. The default answers {@link #isKnown} at once.
     */
    default CompletionStage<Boolean> isKnownAsync(String uniqueId) {
        return CompletableFuture.completedFuture(isKnown(uniqueId));
    }
}
