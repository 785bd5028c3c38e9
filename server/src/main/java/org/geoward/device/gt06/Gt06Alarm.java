package org.geoward.device.gt06;

/** The alarm a GT06 device reports in its alarm byte or terminal-information bits. */
public enum Gt06Alarm {
    NONE,
    SOS,
    POWER_CUT,
    VIBRATION,
    GEOFENCE_ENTER,
    GEOFENCE_EXIT,
    OVERSPEED,
    LOW_BATTERY,
    TAMPERING,
    /** A door opened (0x14): a home alarm (DOOR_OPEN) at night. */
    DOOR,
    /** A fall detected (0x23): a home alarm (FALL) where the device is. */
    FALL,
    OTHER;

    /**
     * Combines the alarm byte with bits 3-5 of the terminal-information byte (100 = SOS); either one reporting SOS
     * wins. Codes as in Traccar's Gt06ProtocolDecoder.
     */
    static Gt06Alarm of(int terminalInfo, int alarmCode) {
        int terminalAlarm = (terminalInfo >> 3) & 0x07;
        if (alarmCode == 0x01 || terminalAlarm == 4) {
            return SOS;
        }
        Gt06Alarm fromCode = fromCode(alarmCode);
        if (fromCode != NONE) {
            return fromCode;
        }
        return switch (terminalAlarm) {
            case 1 -> VIBRATION;
            case 2 -> POWER_CUT;
            case 3 -> LOW_BATTERY;
            case 0 -> NONE;
            default -> OTHER;
        };
    }

    private static Gt06Alarm fromCode(int code) {
        return switch (code) {
            case 0x00 -> NONE;
            case 0x01 -> SOS;
            case 0x02 -> POWER_CUT;
            case 0x03, 0x09 -> VIBRATION;
            case 0x04 -> GEOFENCE_ENTER;
            case 0x05 -> GEOFENCE_EXIT;
            case 0x06 -> OVERSPEED;
            case 0x0E, 0x0F -> LOW_BATTERY;
            case 0x0C, 0x13, 0x25 -> TAMPERING;
            case 0x14 -> DOOR;
            case 0x23 -> FALL;
            default -> OTHER;
        };
    }
}
