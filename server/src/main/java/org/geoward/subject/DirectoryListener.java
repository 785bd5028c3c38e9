package org.geoward.subject;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the database channel {@code geoward_directory} (trigger in V24) and tells the {@link SubjectDirectory}
 * to forget what changed: how a change made by another node, or with psql, reaches this node's memory. Holds one
 * connection of its own, outside any transaction; when it breaks (the database restarted) it reconnects with
 * backoff and, since notifications may have been missed meanwhile, the directory forgets everything.
 */
@Singleton
class DirectoryListener {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryListener.class);
    static final String CHANNEL = "geoward_directory";
    private static final int POLL_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final DataSource dataSource;
    private final SubjectDirectory directory;
    private volatile boolean running = true;
    private Thread thread;

    DirectoryListener(DataSource dataSource, SubjectDirectory directory) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.directory = directory;
    }

    @EventListener
    synchronized void start(StartupEvent event) {
        if (thread == null) {
            thread = new Thread(this::listen, "directory-listener");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @PreDestroy
    synchronized void stop() throws InterruptedException {
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
                    st.execute("LISTEN " + CHANNEL);
                }
                directory.forgetAll(); // whatever changed while nobody listened
                backoff = 100;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            apply(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.info("Directory notifications interrupted ({}); listening again in {} ms", e.toString(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    private void apply(String payload) {
        if (payload.startsWith("subject:")) {
            try {
                directory.forgetSubject(Long.parseLong(payload.substring("subject:".length())));
                return;
            } catch (NumberFormatException e) {
                // fall through: forget everything rather than keep something stale
            }
        } else if (payload.startsWith("device:")) {
            directory.forgetDevice(payload.substring("device:".length()));
            return;
        }
        LOG.warn("Unexpected directory notification '{}': forgetting everything", payload);
        directory.forgetAll();
    }
}
