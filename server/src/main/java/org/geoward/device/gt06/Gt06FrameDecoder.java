package org.geoward.device.gt06;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a GT06 TCP stream into {@link Gt06Frame}s: 0x7878 frames with a 1-byte length and 0x7979 frames with a
 * 2-byte length, both ending in 0x0D0A and carrying a CRC-ITU over length..serial. Frames may arrive split across
 * reads or several to a read. A frame with a bad CRC is dropped and logged; a stream that does not start a frame,
 * declares an impossible length, exceeds the size limit or misses its stop bits is closed with a logged reason,
 * since there is no way to find the next frame reliably. A frame begun must be complete within the frame timeout
 * (measured on the monotonic clock): a sender that trickles bytes (a slow-loris, one byte a second) keeps the idle
 * timer from firing, so without this it could hold a connection for ever; it is closed with a logged reason. One
 * instance per channel.
 */
public final class Gt06FrameDecoder extends ByteToMessageDecoder {

    /** Upper bound for a whole frame; the largest real GT06 frames (photos aside) are a few hundred bytes. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(Gt06FrameDecoder.class);
    private static final int SHORT_START = 0x7878;
    private static final int EXTENDED_START = 0x7979;
    private static final int STOP = 0x0D0A;
    private static final int MIN_LENGTH = 5; // protocol number, serial, CRC

    /** How long a frame may take to arrive whole when none is given: a real device sends one in one TCP write. */
    public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(10);

    private final int maxFrameBytes;
    private final long frameTimeoutNanos;
    /** When the first byte of the frame not yet complete arrived ({@link System#nanoTime}), 0 when none is. */
    private long partialSince;

    private ScheduledFuture<?> partialCheck;

    public Gt06FrameDecoder() {
        this(DEFAULT_MAX_FRAME_BYTES, DEFAULT_FRAME_TIMEOUT);
    }

    public Gt06FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, DEFAULT_FRAME_TIMEOUT);
    }

    /**
     * @param maxFrameBytes the largest frame accepted, header and stop bits included
     * @param frameTimeout how long after its first byte a frame must be complete
     */
    public Gt06FrameDecoder(int maxFrameBytes, Duration frameTimeout) {
        if (frameTimeout.isNegative() || frameTimeout.isZero()) {
            throw new IllegalArgumentException("the GT06 frame timeout must be positive, not " + frameTimeout);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.frameTimeoutNanos = frameTimeout.toNanos();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            Gt06Frame frame = read(in, maxFrameBytes);
            if (frame != null) {
                out.add(frame);
                partialSince = 0;
            } else if (in.isReadable() && partialSince == 0) {
                partialSince = System.nanoTime();
                scheduleCheck(ctx, frameTimeoutNanos);
            }
        } catch (FrameException e) {
            if (e.isFatal()) {
                LOG.warn("closing GT06 connection from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
                in.skipBytes(in.readableBytes());
                ctx.close();
            } else {
                LOG.warn("refused a GT06 frame from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            }
        }
    }

    /**
     * Closes the connection when the frame begun at {@link #partialSince} is still not complete after the timeout;
     * runs on the channel's event loop, as {@link #decode} does.
     */
    private void scheduleCheck(ChannelHandlerContext ctx, long delayNanos) {
        if (partialCheck != null && !partialCheck.isDone()) {
            return;
        }
        partialCheck = ctx.executor().schedule(() -> checkPartial(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkPartial(ChannelHandlerContext ctx) {
        partialCheck = null;
        if (partialSince == 0 || !ctx.channel().isActive()) {
            return;
        }
        long waited = System.nanoTime() - partialSince;
        if (waited < frameTimeoutNanos) {
            scheduleCheck(ctx, frameTimeoutNanos - waited);
            return;
        }
        LOG.warn(
                "closing GT06 connection from {}: a frame begun {} ms ago is still not complete ({} bytes so far)",
                ctx.channel().remoteAddress(),
                TimeUnit.NANOSECONDS.toMillis(waited),
                actualReadableBytes());
        ctx.close();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (partialCheck != null) {
            partialCheck.cancel(false);
        }
    }

    /**
     * Reads one frame from {@code in} if it is complete, advancing the reader index past it.
     *
     * @return the frame, or {@code null} when more bytes are needed (nothing consumed)
     * @throws FrameException fatal when the stream is not GT06 (nothing consumed); not fatal when only this frame's
     *     CRC is wrong (the frame is consumed)
     */
    static Gt06Frame read(ByteBuf in, int maxFrameBytes) throws FrameException {
        int at = in.readerIndex();
        if (in.readableBytes() < 2) {
            if (in.isReadable() && (in.getUnsignedByte(at) != 0x78 && in.getUnsignedByte(at) != 0x79)) {
                throw new FrameException(true, String.format("byte 0x%02x does not start a frame", in.getByte(at)));
            }
            return null;
        }
        int start = in.getUnsignedShort(at);
        if (start != SHORT_START && start != EXTENDED_START) {
            throw new FrameException(true, String.format("frame starts with 0x%04x, not 0x7878 or 0x7979", start));
        }
        boolean extended = start == EXTENDED_START;
        int header = extended ? 4 : 3;
        if (in.readableBytes() < header) {
            return null;
        }
        int length = extended ? in.getUnsignedShort(at + 2) : in.getUnsignedByte(at + 2);
        if (length < MIN_LENGTH) {
            throw new FrameException(true, "declared length " + length + " is below the minimum of " + MIN_LENGTH);
        }
        int total = header + length + 2;
        if (total > maxFrameBytes) {
            throw new FrameException(
                    true, "frame of " + total + " bytes exceeds the limit of " + maxFrameBytes + " bytes");
        }
        if (in.readableBytes() < total) {
            return null;
        }
        if (in.getUnsignedShort(at + total - 2) != STOP) {
            throw new FrameException(
                    true,
                    String.format(
                            "frame of declared length %d does not end with 0D0A (found 0x%04x)",
                            length, in.getUnsignedShort(at + total - 2)));
        }
        return checkedFrame(in, at, extended, header, length, total);
    }

    private static Gt06Frame checkedFrame(ByteBuf in, int at, boolean extended, int header, int length, int total)
            throws FrameException {
        int protocol = in.getUnsignedByte(at + header);
        int serial = in.getUnsignedShort(at + total - 6);
        int sent = in.getUnsignedShort(at + total - 4);
        int computed = Gt06Crc.of(in, at + 2, total - 6);
        in.readerIndex(at + total);
        if (sent != computed) {
            throw new FrameException(
                    false,
                    String.format(
                            "CRC 0x%04x of protocol 0x%02x serial %d does not match the computed 0x%04x",
                            sent, protocol, serial, computed));
        }
        byte[] content = new byte[length - MIN_LENGTH];
        in.getBytes(at + header + 1, content);
        return new Gt06Frame(extended, protocol, content, serial);
    }

    /** Why a stream could not be framed; fatal ones leave no way to find the next frame. */
    static final class FrameException extends Exception {

        private final boolean fatal;

        FrameException(boolean fatal, String message) {
            super(message);
            this.fatal = fatal;
        }

        boolean isFatal() {
            return fatal;
        }
    }
}
