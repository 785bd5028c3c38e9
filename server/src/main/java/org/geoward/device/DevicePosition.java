package org.geoward.device;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One position report from a device, as every decoder in this package produces it.
 *
 * <p>Coordinates are WGS 84 degrees and have been range-checked by the decoder; both are NaN only for an SOS that
 * came without any position (a GT06 status frame), which {@link DeviceIngest} places at the subject's last known
 * position. Optional measurements are {@code null} when the device did not send them: {@code accuracyMeters}
 * (horizontal, metres), {@code speedKmh} (km/h), {@code course} (degrees clockwise from north), {@code altitude}
 * (metres) and {@code batteryPercent} (0-100). {@code time} is when the device took the fix, or when the report was
 * received if the device sent no time (then {@code extras} holds {@code time=received}). {@code extras} keeps
 * protocol-specific values as text. Instances are immutable.
 */
public record DevicePosition(
        String uniqueId,
        Instant time,
        double lat,
        double lon,
        Double accuracyMeters,
        Double speedKmh,
        Double course,
        Double altitude,
        Double batteryPercent,
        boolean sos,
        Map<String, String> extras) {

    public DevicePosition {
        Objects.requireNonNull(uniqueId, "uniqueId");
        Objects.requireNonNull(time, "time");
        extras = extras == null ? Map.of() : Map.copyOf(extras);
    }
}
