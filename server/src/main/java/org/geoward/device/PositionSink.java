package org.geoward.device;

/**
 * Receives the positions a device listener decoded. Called on the listener's I/O thread: implementations should
 * hand the position on rather than block.
 */
@FunctionalInterface
public interface PositionSink {

    /** Takes one decoded position; the result says whether it was accepted. */
    SinkResult accept(DevicePosition position);

    /**
     * Answers whether a device with this unique id (IMEI for GT06) is registered. Listeners ask it at login and
     * close the connection of unknown devices. The default accepts every device.
     */
    default boolean isKnown(String uniqueId) {
        return true;
    }
}
