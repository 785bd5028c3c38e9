package org.geoward.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on one PostgreSQL notification channel on a connection of its own, outside any transaction, on its own
 * daemon thread. When the connection breaks (the database restarted) it reconnects with backoff (100 ms doubling to
 * 5 s) and calls {@code onListening} again, since notifications may have been missed meanwhile. Notifications are
 * handed over in the batches the driver returns them. Not a bean: the owner starts and stops it.
 */
public final class ChannelListener {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelListener.class);
    private static final int POLL_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final DataSource dataSource;
    private final String channel;
    private final Runnable onListening;
    private final Consumer<PGNotification[]> onNotifications;
    private volatile boolean running = true;
    private Thread thread;

    /**
     * @param dataSource a raw (unwrapped) data source, so that the connection belongs to no transaction
     * @param channel the channel name, a plain identifier
     * @param onListening called each time the channel is listened to anew (at start and after a reconnect)
     */
    public ChannelListener(
            DataSource dataSource, String channel, Runnable onListening, Consumer<PGNotification[]> onNotifications) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.onListening = onListening;
        this.onNotifications = onNotifications;
    }

    /** Starts listening on a thread named {@code threadName}; a second call does nothing. */
    public synchronized void start(String threadName) {
        if (thread == null) {
            thread = new Thread(this::listen, threadName);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops listening and waits up to 2 s for the thread. */
    public synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(2_000);
        }
    }

    private void listen() {
        long backoff = 100;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement st = connection.createStatement()) {
                    st.execute("LISTEN " + channel);
                }
                onListening.run();
                backoff = 100;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        onNotifications.accept(notifications);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.info("{} notifications interrupted ({}); listening again in {} ms", channel, e.toString(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }
}
