package org.geoward.device.gt06;

import io.netty.buffer.ByteBuf;

/**
 * CRC-ITU as GT06 uses it, i.e. CRC-16/X-25: reflected polynomial 0x1021, initial value and final XOR 0xFFFF. Check
 * value: {@code crc("123456789") == 0x906E}.
 */
final class Gt06Crc {

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Gt06Crc() {}

    /** CRC of {@code length} bytes of {@code buf} from absolute index {@code from}; the reader index is unchanged. */
    static int of(ByteBuf buf, int from, int length) {
        int crc = 0xFFFF;
        for (int i = from; i < from + length; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ buf.getByte(i)) & 0xFF];
        }
        return crc ^ 0xFFFF;
    }

    static int of(byte[] bytes) {
        int crc = 0xFFFF;
        for (byte b : bytes) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ b) & 0xFF];
        }
        return crc ^ 0xFFFF;
    }
}
