package org.geoward.subject;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.geoward.database.ChannelListener;
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

    private final SubjectDirectory directory;
    private final ChannelListener listener;

    DirectoryListener(DataSource dataSource, SubjectDirectory directory) {
        this.directory = directory;
        this.listener = new ChannelListener(
                DelegatingDataSource.unwrapDataSource(dataSource),
                CHANNEL,
                directory::forgetAll, // whatever changed while nobody listened
                notifications -> {
                    for (PGNotification n : notifications) {
                        apply(n.getParameter());
                    }
                });
    }

    @EventListener
    void start(StartupEvent event) {
        listener.start("directory-listener");
    }

    @PreDestroy
    void stop() throws InterruptedException {
        listener.stop();
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
