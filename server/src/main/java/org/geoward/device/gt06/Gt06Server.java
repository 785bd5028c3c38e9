package org.geoward.device.gt06;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.geoward.device.PositionSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP listener for GT06 trackers. Each connection gets: an idle timer that closes clients silent for longer
 * than {@code idleTimeout} (a login never followed by data ends there), a {@link Gt06FrameDecoder} that also closes
 * a connection whose frame takes longer than {@code frameTimeout} to arrive (a slow-loris), and a session that learns the IMEI at login and passes
 * positions to the {@link PositionSink}. {@link #start()} binds; {@link #stop()} closes every connection and ends
 * the event-loop threads (named {@code gt06-boss-*} and {@code gt06-io-*}). Start and stop are thread-safe.
 */
public final class Gt06Server implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gt06Server.class);

    private final String host;
    private final int port;
    private final Duration idleTimeout;
    private final Duration frameTimeout;
    private final int ioThreads;
    private final PositionSink sink;
    private EventLoopGroup bossGroup;
    private EventLoopGroup ioGroup;
    private Channel serverChannel;
    private final java.util.concurrent.atomic.AtomicInteger connections =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param host address to bind, e.g. "0.0.0.0" or "127.0.0.1"
     * @param port TCP port, 0 for an ephemeral one (see {@link #start()}'s result)
     * @param idleTimeout close a connection after this long without a byte from the device
     * @param ioThreads event-loop threads serving connections
     */
    public Gt06Server(String host, int port, Duration idleTimeout, int ioThreads, PositionSink sink) {
        this(host, port, idleTimeout, Gt06FrameDecoder.DEFAULT_FRAME_TIMEOUT, ioThreads, sink);
    }

    /**
     * @param frameTimeout close a connection whose frame begun is not complete this long after its first byte (a
     *     slow-loris sender keeps the idle timer from firing)
     */
    public Gt06Server(
            String host, int port, Duration idleTimeout, Duration frameTimeout, int ioThreads, PositionSink sink) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.frameTimeout = Objects.requireNonNull(frameTimeout, "frameTimeout");
        this.ioThreads = ioThreads;
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Binds the port and returns the address actually bound. */
    public synchronized InetSocketAddress start() throws InterruptedException {
        if (serverChannel != null) {
            throw new IllegalStateException("GT06 server already started on " + serverChannel.localAddress());
        }
        bossGroup =
                new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("gt06-boss"), NioIoHandler.newFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(
                ioThreads, new DefaultThreadFactory("gt06-io"), NioIoHandler.newFactory());
        try {
            serverChannel = new ServerBootstrap()
                    .group(bossGroup, ioGroup)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            connections.incrementAndGet();
                            channel.closeFuture().addListener(closed -> connections.decrementAndGet());
                            channel.pipeline()
                                    .addLast(new IdleStateHandler(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                                    .addLast(new Gt06FrameDecoder(
                                            Gt06FrameDecoder.DEFAULT_MAX_FRAME_BYTES, frameTimeout))
                                    .addLast(new Gt06SessionHandler(sink));
                        }
                    })
                    .bind(host, port)
                    .sync()
                    .channel();
        } catch (RuntimeException | InterruptedException e) {
            shutDownGroups();
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("GT06 listener on {}", bound);
        return bound;
    }

    /** How many devices are connected now. */
    public int connections() {
        return connections.get();
    }

    /** Closes the listener and all connections and waits for the event-loop threads to end. Idempotent. */
    public synchronized void stop() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
            serverChannel = null;
        }
        shutDownGroups();
    }

    private void shutDownGroups() {
        for (EventLoopGroup group : new EventLoopGroup[] {bossGroup, ioGroup}) {
            if (group != null) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            }
        }
        bossGroup = null;
        ioGroup = null;
    }

    @Override
    public void close() {
        stop();
    }
}
