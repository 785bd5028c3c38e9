package org.geoward.device;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP listener on a port of its own for device protocols that speak HTTP (OsmAnd, as the Traccar Client
 * app sends it). Requests up to 64 KiB are aggregated and handed to the {@link Handler} on {@code executor} (the
 * handler may block on the database); its {@link HttpReply} is written back. At most {@code maxInFlight} requests
 * are handed on at once: one more is answered at once, on the network thread, with 503 and {@code Retry-After}, so
 * that an overload is shed before it queues (a queue only adds latency: the executor's threads are the limit) and
 * the rate served stays at its maximum. Start and stop are thread-safe.
 */
public final class DeviceHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceHttpServer.class);
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    /** Answers one device request. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param method GET or POST
         * @param uri the request URI with its query string
         * @param body the request body as UTF-8 (empty for GET)
         * @param contentType the Content-Type header, or null
         */
        HttpReply handle(String method, String uri, String body, String contentType);
    }

    private final String name;
    private final String host;
    private final int port;
    private final Executor executor;
    private final Handler handler;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong shed = new AtomicLong();
    private EventLoopGroup group;
    private Channel serverChannel;

    public DeviceHttpServer(String name, String host, int port, Executor executor, int maxInFlight, Handler handler) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, not " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.name = Objects.requireNonNull(name, "name");
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Binds the port (0 for an ephemeral one) and returns the address actually bound. */
    public synchronized InetSocketAddress start() throws InterruptedException {
        if (serverChannel != null) {
            throw new IllegalStateException(name + " listener already started on " + serverChannel.localAddress());
        }
        group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory(name + "-io"), NioIoHandler.newFactory());
        try {
            serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline()
                                    .addLast(new ReadTimeoutHandler(60))
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                    .addLast(new RequestHandler());
                        }
                    })
                    .bind(host, port)
                    .sync()
                    .channel();
        } catch (RuntimeException | InterruptedException e) {
            shutDownGroup();
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("{} listener on {}", name, bound);
        return bound;
    }

    /** Closes the listener and its connections and ends its threads. Idempotent. */
    public synchronized void stop() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
            serverChannel = null;
        }
        shutDownGroup();
    }

    @Override
    public void close() {
        stop();
    }

    /** Requests handed on and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests answered 503 because {@code maxInFlight} were being handled already, since start. */
    public long shed() {
        return shed.get();
    }

    private void shutDownGroup() {
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            group = null;
        }
    }

    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String method = request.method().name();
            String uri = request.uri();
            String body = request.content().toString(StandardCharsets.UTF_8);
            String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (inFlight.incrementAndGet() > maxInFlight) {
                inFlight.decrementAndGet();
                shed.incrementAndGet();
                write(
                        ctx,
                        HttpReply.busy("busy: " + maxInFlight + " reports in hand; send again in a second", 1),
                        keepAlive);
                return;
            }
            try {
                executor.execute(() -> {
                    HttpReply reply;
                    try {
                        reply = handler.handle(method, uri, body, contentType);
                    } catch (RuntimeException e) {
                        LOG.warn("{}: request {} {} failed", name, method, uri, e);
                        reply = new HttpReply(500, "text/plain; charset=utf-8", "internal error");
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    write(ctx, reply, keepAlive);
                });
            } catch (RejectedExecutionException e) {
                inFlight.decrementAndGet();
                write(ctx, HttpReply.busy("busy, send again in a second", 1), false);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("{}: closing {}: {}", name, ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }

        private void write(ChannelHandlerContext ctx, HttpReply reply, boolean keepAlive) {
            byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(bytes));
            if (reply.contentType() != null) {
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
            }
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            if (reply.retryAfterSeconds() != null) {
                response.headers().setInt(HttpHeaderNames.RETRY_AFTER, reply.retryAfterSeconds());
            }
            if (keepAlive) {
                HttpUtil.setKeepAlive(response, true);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
