package org.geoward.device.gt06;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.geoward.sighting.Sighting;

/** A decoded GT06 frame: what the device said, before the session knows which device it is. */
public sealed interface Gt06Message {

    /** The protocol number of the frame. */
    int protocol();

    /** The serial number to echo in the acknowledgement. */
    int serial();

    /** Login (0x01): the device's IMEI, read from 8 BCD bytes. */
    record Login(int protocol, int serial, String imei) implements Gt06Message {}

    /** Status / heartbeat (0x13): battery level (percent, null if not sent) and any alarm. */
    record Status(int protocol, int serial, Double batteryPercent, Gt06Alarm alarm) implements Gt06Message {}

    /**
     * A GPS fix (0x10, 0x12, 0x22) or an alarm with a fix (0x16, 0x26). The device's date is taken as UTC.
     *
     * @param valid whether the GPS had a fix; without one the coordinates are stale or zero
     * @param batteryPercent from the status block of alarm frames, else null
     */
    record Location(
            int protocol,
            int serial,
            Instant time,
            double lat,
            double lon,
            double speedKmh,
            double course,
            boolean valid,
            int satellites,
            Double batteryPercent,
            Gt06Alarm alarm)
            implements Gt06Message {

        /** The position of device {@code imei}; {@code fallbackBattery} fills in when this frame has none. */
        public Sighting toPosition(String imei, Double fallbackBattery) {
            Map<String, String> extras = new HashMap<>();
            extras.put("protocol", String.format("0x%02x", protocol));
            extras.put("satellites", Integer.toString(satellites));
            extras.put("valid", Boolean.toString(valid));
            if (alarm != Gt06Alarm.NONE) {
                extras.put("alarm", alarm.name());
            }
            return Sighting.builder()
                    .device(imei)
                    .time(time)
                    .at(lon, lat)
                    .speed(speedKmh)
                    .heading(course)
                    .battery(batteryPercent != null ? batteryPercent : fallbackBattery)
                    .sos(alarm == Gt06Alarm.SOS)
                    .extras(extras)
                    .build();
        }
    }

    /** A frame that was framed correctly but carries nothing this decoder reads (with the reason). */
    record Ignored(int protocol, int serial, String reason) implements Gt06Message {}
}
