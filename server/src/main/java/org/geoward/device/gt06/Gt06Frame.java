package org.geoward.device.gt06;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One GT06 frame whose stop bits and CRC checked: {@code 78 78 len proto content serial crc 0D 0A} (short, 1-byte
 * length) or {@code 79 79 len len proto ...} (extended, 2-byte length).
 *
 * @param extended whether the frame started with 0x7979
 * @param protocol the protocol number (message type)
 * @param content the information content between the protocol number and the serial number
 * @param serial the information serial number the device expects back in the acknowledgement
 */
public record Gt06Frame(boolean extended, int protocol, byte[] content, int serial) {

    public Gt06Frame {
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** Content length in bytes, without copying. */
    public int contentLength() {
        return content.length;
    }

    /** Unsigned byte of the content at {@code index}. */
    int unsigned(int index) {
        return content[index] & 0xFF;
    }

    /** Unsigned big-endian 32-bit value of the content at {@code index}. */
    long unsignedInt(int index) {
        return ((long) unsigned(index) << 24)
                | (unsigned(index + 1) << 16)
                | (unsigned(index + 2) << 8)
                | unsigned(index + 3);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Gt06Frame frame
                && extended == frame.extended
                && protocol == frame.protocol
                && serial == frame.serial
                && Arrays.equals(content, frame.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(extended, protocol, serial, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return String.format(
                "Gt06Frame[%s 0x%02x serial=%d content=%s]",
                extended ? "7979" : "7878", protocol, serial, HexFormat.of().formatHex(content));
    }
}
