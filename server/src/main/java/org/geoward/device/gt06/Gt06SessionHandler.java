package org.geoward.device.gt06;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.geoward.device.DecodeException;
import org.geoward.device.PositionSink;
import org.geoward.device.SinkResult;
import org.geoward.sighting.Sighting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GT06 connection's session: learns the IMEI at login, refuses positions before it, hands positions to the sink
 * and acknowledges each once the sink has stored it (a busy sink's positions stay unacknowledged, to be sent again). Remembers the last battery level from status frames for positions that carry none.
 * An SOS in a status frame, which has no position, goes to the sink as a position without coordinates.
 * One instance per channel; all calls happen on the channel's event loop.
 */
final class Gt06SessionHandler extends SimpleChannelInboundHandler<Gt06Frame> {

    private static final Logger LOG = LoggerFactory.getLogger(Gt06SessionHandler.class);

    private final PositionSink sink;
    private final Gt06MessageDecoder decoder = new Gt06MessageDecoder();
    /** Frames that arrive while a login is being checked wait here (reading is paused meanwhile). */
    private static final int MAX_WAITING = 32;

    /** Positions handed to the sink and not yet stored, at most this many before reading pauses. */
    private static final int MAX_PENDING = 64;

    private final ArrayDeque<Gt06Frame> waiting = new ArrayDeque<>();
    private boolean loggingIn;
    private int pending;
    private String imei;
    private Double lastBattery;

    Gt06SessionHandler(PositionSink sink) {
        this.sink = sink;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Gt06Frame frame) {
        if (loggingIn) {
            if (waiting.size() >= MAX_WAITING) {
                LOG.warn(
                        "closing GT06 connection from {}: too many frames during login",
                        ctx.channel().remoteAddress());
                waiting.clear();
                ctx.close();
            } else {
                waiting.add(frame);
            }
            return;
        }
        Gt06Message message;
        try {
            message = decoder.decode(frame);
        } catch (DecodeException e) {
            LOG.warn("GT06 device {} at {}: {}", imei, ctx.channel().remoteAddress(), e.getMessage());
            return;
        }
        if (message instanceof Gt06Message.Login login) {
            login(ctx, frame, login);
            return;
        }
        if (imei == null) {
            LOG.warn(
                    "closing GT06 connection from {}: {} before login",
                    ctx.channel().remoteAddress(),
                    frame);
            ctx.close();
            return;
        }
        if (message instanceof Gt06Message.Location location) {
            deliver(ctx, frame, location);
            return;
        }
        if (message instanceof Gt06Message.Status status) {
            if (status.batteryPercent() != null) {
                lastBattery = status.batteryPercent();
            }
            if (status.alarm() == Gt06Alarm.SOS) {
                LOG.warn("GT06 device {} reports SOS in a status frame, without a position", imei);
                deliver(ctx, frame, sosWithoutFix(frame));
                return;
            }
        } else if (message instanceof Gt06Message.Ignored ignored) {
            LOG.debug("GT06 device {}: {}", imei, ignored.reason());
        }
        acknowledge(ctx, frame);
    }

    /**
     * Checks the IMEI off the event loop (the sink may ask the database): reading pauses, frames already decoded
     * wait, and the check's answer continues on the channel's event loop.
     */
    private void login(ChannelHandlerContext ctx, Gt06Frame frame, Gt06Message.Login login) {
        loggingIn = true;
        updateReading(ctx);
        CompletionStage<Boolean> known;
        try {
            known = sink.isKnownAsync(login.imei());
        } catch (RuntimeException e) {
            known = CompletableFuture.failedFuture(e);
        }
        known.whenComplete((answer, error) -> ctx.executor().execute(() -> loggedIn(ctx, frame, login, answer, error)));
    }

    private void loggedIn(
            ChannelHandlerContext ctx, Gt06Frame frame, Gt06Message.Login login, Boolean known, Throwable error) {
        loggingIn = false;
        if (error != null || !Boolean.TRUE.equals(known)) {
            if (error != null) {
                LOG.warn(
                        "closing GT06 connection from {}: login of {} not checked",
                        ctx.channel().remoteAddress(),
                        login.imei(),
                        error);
            } else {
                LOG.warn(
                        "closing GT06 connection from {}: unknown device IMEI {}",
                        ctx.channel().remoteAddress(),
                        login.imei());
            }
            waiting.clear();
            ctx.close();
            return;
        }
        imei = login.imei();
        acknowledge(ctx, frame);
        while (!loggingIn && !waiting.isEmpty() && ctx.channel().isActive()) {
            channelRead0(ctx, waiting.poll());
        }
        updateReading(ctx);
    }

    private void deliver(ChannelHandlerContext ctx, Gt06Frame frame, Gt06Message.Location location) {
        if (!location.valid() && location.alarm() != Gt06Alarm.SOS) {
            LOG.debug("GT06 device {}: no GPS fix in {}", imei, frame);
            acknowledge(ctx, frame);
            return;
        }
        deliver(ctx, frame, location.toPosition(imei, lastBattery));
    }

    /** An SOS with no position: received now, to be placed where the device was last seen (see DeviceIngest). */
    private Sighting sosWithoutFix(Gt06Frame frame) {
        return Sighting.builder()
                .device(imei)
                .time(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .battery(lastBattery)
                .sos(true)
                .extras(Map.of(
                        "protocol", String.format("0x%02x", frame.protocol()), "alarm", "SOS", "time", "received"))
                .build();
    }

    /**
     * Hands a position to the sink and acknowledges it only once the sink has stored it (or refused it for good): an
     * acknowledged position is never lost, and a busy sink leaves it unacknowledged, so the device sends it again.
     * With {@link #MAX_PENDING} positions awaiting the sink, reading pauses (TCP pushes back on the device).
     */
    private void deliver(ChannelHandlerContext ctx, Gt06Frame frame, Sighting position) {
        CompletionStage<SinkResult> stored;
        try {
            stored = sink.acceptAsync(position);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        pending++;
        updateReading(ctx);
        stored.whenComplete((result, error) -> ctx.executor().execute(() -> delivered(ctx, frame, result, error)));
    }

    private void delivered(ChannelHandlerContext ctx, Gt06Frame frame, SinkResult result, Throwable error) {
        pending--;
        updateReading(ctx);
        if (error != null) {
            LOG.warn("GT06 device {}: position not stored, not acknowledged: {}", imei, error.toString());
            return;
        }
        switch (result.outcome()) {
            case ACCEPTED -> acknowledge(ctx, frame);
            case REJECTED -> {
                LOG.warn("GT06 device {}: position rejected: {}", imei, result.reason());
                acknowledge(ctx, frame); // resending would be rejected again
            }
            case BUSY -> LOG.debug("GT06 device {}: not acknowledged, ingest busy: {}", imei, result.reason());
            case UNKNOWN_DEVICE -> {
                LOG.warn("closing GT06 connection of unknown device {}: {}", imei, result.reason());
                ctx.close();
            }
        }
    }

    /** Reads while no login is being checked and fewer than {@link #MAX_PENDING} positions await the sink. */
    private void updateReading(ChannelHandlerContext ctx) {
        boolean read = !loggingIn && pending < MAX_PENDING;
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    private static void acknowledge(ChannelHandlerContext ctx, Gt06Frame frame) {
        if (!frame.extended()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(Gt06Acks.ack(frame.protocol(), frame.serial())));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            LOG.info(
                    "closing idle GT06 connection of device {} from {}",
                    imei,
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn(
                "closing GT06 connection of device {} from {}: {}",
                imei,
                ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
