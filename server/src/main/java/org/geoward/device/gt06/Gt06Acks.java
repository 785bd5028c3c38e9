package org.geoward.device.gt06;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Builds the frames a GT06 server sends back. An acknowledgement echoes the protocol number and serial number of the
 * device's frame, with no content: {@code 78 78 05 proto serial-hi serial-lo crc-hi crc-lo 0D 0A}, as Traccar's
 * Gt06ProtocolDecoder sends it. Example: login serial 1 is acknowledged with {@code 78 78 05 01 00 01 D9 DC 0D 0A}.
 */
public final class Gt06Acks {

    private Gt06Acks() {}

    /** The acknowledgement of a short (0x7878) frame with this protocol number and serial number. */
    public static byte[] ack(int protocol, int serial) {
        return frame(false, protocol, new byte[0], serial);
    }

    /** A complete frame with CRC-ITU over length..serial and stop bits. */
    public static byte[] frame(boolean extended, int protocol, byte[] content, int serial) {
        int length = 5 + content.length;
        ByteBuf buf = Unpooled.buffer(length + 6);
        try {
            if (extended) {
                buf.writeShort(0x7979).writeShort(length);
            } else {
                if (length > 0xFF) {
                    throw new IllegalArgumentException(
                            "content of " + content.length + " bytes needs an extended frame");
                }
                buf.writeShort(0x7878).writeByte(length);
            }
            buf.writeByte(protocol).writeBytes(content).writeShort(serial);
            buf.writeShort(Gt06Crc.of(buf, 2, buf.writerIndex() - 2));
            buf.writeShort(0x0D0A);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }
}
