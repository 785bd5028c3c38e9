package org.geoward.device.gt06;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.geoward.device.Coordinates;
import org.geoward.device.DecodeException;

/**
 * Decodes the content of GT06 frames: login (0x01), status (0x13), GPS (0x10, 0x12, 0x22) and alarms with GPS
 * (0x16, 0x26). Other protocol numbers come back as {@link Gt06Message.Ignored}. Layouts follow the GT06 protocol
 * document and Traccar's Gt06ProtocolDecoder (Apache-2.0). Stateless and thread-safe.
 */
public final class Gt06MessageDecoder {

    public static final int LOGIN = 0x01;
    public static final int GPS = 0x10;
    public static final int GPS_LBS_1 = 0x12;
    public static final int STATUS = 0x13;
    public static final int GPS_LBS_STATUS_1 = 0x16;
    public static final int GPS_LBS_2 = 0x22;
    public static final int GPS_LBS_STATUS_2 = 0x26;

    private static final int GPS_BLOCK = 18;
    private static final int STANDARD_ALARM_CONTENT = 32; // GPS 18 + LBS 9 + status 5

    /**
     * Decodes one frame.
     *
     * @throws DecodeException when the content is too short for its protocol or carries an impossible date or
     *     coordinates (which is what non-standard layouts of clone devices look like)
     */
    public Gt06Message decode(Gt06Frame frame) throws DecodeException {
        return switch (frame.protocol()) {
            case LOGIN -> login(frame);
            case STATUS -> status(frame);
            case GPS, GPS_LBS_1, GPS_LBS_2 -> location(frame, false);
            case GPS_LBS_STATUS_1, GPS_LBS_STATUS_2 -> location(frame, true);
            default -> new Gt06Message.Ignored(
                    frame.protocol(),
                    frame.serial(),
                    String.format("protocol 0x%02x is not decoded", frame.protocol()));
        };
    }

    private static Gt06Message login(Gt06Frame frame) throws DecodeException {
        if (frame.contentLength() < 8) {
            throw new DecodeException(
                    describe(frame) + " has " + frame.contentLength() + " content bytes; a login needs 8 for the IMEI");
        }
        String digits = HexFormat.of().formatHex(frame.content(), 0, 8).substring(1);
        if (!digits.chars().allMatch(Character::isDigit)) {
            throw new DecodeException(describe(frame) + " carries IMEI bytes " + digits + " that are not BCD digits");
        }
        return new Gt06Message.Login(frame.protocol(), frame.serial(), digits);
    }

    private static Gt06Message status(Gt06Frame frame) throws DecodeException {
        int length = frame.contentLength();
        if (length < 2) {
            throw new DecodeException(describe(frame) + " has " + length + " content bytes; a status needs 2 or more");
        }
        if (length == 16) { // long status variant (Traccar: info, satellites, alarm, language, battery %, ...)
            int percent = frame.unsigned(5);
            return new Gt06Message.Status(
                    frame.protocol(),
                    frame.serial(),
                    percent <= 100 ? (double) percent : null,
                    Gt06Alarm.of(0, frame.unsigned(3)));
        }
        int alarmCode = length >= 4 ? frame.unsigned(3) : 0;
        return new Gt06Message.Status(
                frame.protocol(),
                frame.serial(),
                battery(frame.unsigned(1)),
                Gt06Alarm.of(frame.unsigned(0), alarmCode));
    }

    /** Battery as devices send it: a level 0-6, or a percentage; anything above 100 is not a battery level. */
    static Double battery(int raw) {
        if (raw <= 6) {
            return raw * 100.0 / 6;
        }
        return raw <= 100 ? (double) raw : null;
    }

    private static Gt06Message location(Gt06Frame frame, boolean withStatus) throws DecodeException {
        int length = frame.contentLength();
        if (length == 0) {
            return new Gt06Message.Ignored(frame.protocol(), frame.serial(), "no GPS data");
        }
        if (length < GPS_BLOCK) {
            throw new DecodeException(describe(frame) + " has " + length + " content bytes, fewer than the " + GPS_BLOCK
                    + " of a GPS block");
        }
        Instant time = time(frame);
        double lat = frame.unsignedInt(7) / 1_800_000.0;
        double lon = frame.unsignedInt(11) / 1_800_000.0;
        int flags = (frame.unsigned(16) << 8) | frame.unsigned(17);
        lat = (flags & 0x0400) == 0 ? -lat : lat;
        lon = (flags & 0x0800) != 0 ? -lon : lon;
        Coordinates.check(lat, lon, describe(frame));
        Double battery = null;
        Gt06Alarm alarm = Gt06Alarm.NONE;
        int status = withStatus ? statusOffset(frame) : -1;
        if (status >= 0 && status + 4 <= length) {
            battery = battery(frame.unsigned(status + 1));
            alarm = Gt06Alarm.of(frame.unsigned(status), frame.unsigned(status + 3));
        }
        return new Gt06Message.Location(
                frame.protocol(),
                frame.serial(),
                time,
                lat,
                lon,
                frame.unsigned(15),
                flags & 0x03FF,
                (flags & 0x1000) != 0,
                frame.unsigned(6) & 0x0F,
                battery,
                alarm);
    }

    /**
     * Where the status block (terminal info, battery, GSM signal, alarm, language) starts in an alarm frame. It
     * follows the LBS block, whose first byte is its length; but some devices write a 4-byte cell id and still
     * declare 9, so content within a byte of the standard 32 is read from the end; and a block length of 0 (no
     * cell) comes with zero padding of varying size, so the status is read from the end then too.
     */
    private static int statusOffset(Gt06Frame frame) {
        int length = frame.contentLength();
        if (length <= GPS_BLOCK) {
            return -1;
        }
        int lbsLength = frame.unsigned(GPS_BLOCK);
        if (Math.abs(length - STANDARD_ALARM_CONTENT) <= 1 || lbsLength == 0) {
            return length - 5;
        }
        return GPS_BLOCK + lbsLength;
    }

    private static Instant time(Gt06Frame frame) throws DecodeException {
        int[] f = new int[6];
        for (int i = 0; i < 6; i++) {
            f[i] = frame.unsigned(i);
        }
        try {
            return LocalDateTime.of(2000 + f[0], f[1], f[2], f[3], f[4], f[5]).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new DecodeException(String.format(
                    "%s carries an impossible date %d-%02d-%02d %02d:%02d:%02d; a non-standard layout?",
                    describe(frame), 2000 + f[0], f[1], f[2], f[3], f[4], f[5]));
        }
    }

    private static String describe(Gt06Frame frame) {
        return String.format("GT06 frame 0x%02x (serial %d)", frame.protocol(), frame.serial());
    }
}
