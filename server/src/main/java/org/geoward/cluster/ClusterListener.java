package org.geoward.cluster;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.geoward.alert.AlertsChangedElsewhere;
import org.geoward.fence.FenceCatalog;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the database channel {@code geoward_cluster} (triggers in V36): a fence change, by any node, makes this
 * node rebuild its fence index; an alert change, by any node, wakes this node's SSE streams. PostgreSQL's
 * notifications are sent at commit, so a stream never wakes for a change it cannot read yet. After the listening
 * session is lost, the index is rebuilt and the streams woken, since notifications may have been missed.
 */
@Singleton
@Requires(bean = KafkaSettings.class)
class ClusterListener {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterListener.class);
    static final String CHANNEL = "geoward_cluster";

    private final DataSource dataSource;
    private final FenceCatalog fences;
    private final ApplicationEventPublisher<AlertsChangedElsewhere> alerts;
    private volatile boolean running = true;
    private Thread thread;

    ClusterListener(
            DataSource dataSource, FenceCatalog fences, ApplicationEventPublisher<AlertsChangedElsewhere> alerts) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.fences = fences;
        this.alerts = alerts;
    }

    @EventListener
    synchronized void start(StartupEvent event) {
        if (thread == null) {
            thread = new Thread(this::listen, "cluster-listener");
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
                fences.invalidate();
                alerts.publishEvent(new AlertsChangedElsewhere(0, 0));
                backoff = 100;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null) {
                        apply(notifications);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.info("cluster notifications interrupted ({}); listening again in {} ms", e.toString(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    private void apply(PGNotification[] notifications) {
        boolean fence = false;
        AlertsChangedElsewhere last = null;
        for (PGNotification n : notifications) {
            String payload = n.getParameter();
            if (payload.equals("fence")) {
                fence = true;
            } else if (payload.startsWith("alert:")) {
                String[] parts = payload.split(":");
                try {
                    last = new AlertsChangedElsewhere(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                } catch (RuntimeException e) {
                    last = new AlertsChangedElsewhere(0, 0);
                }
            }
        }
        if (fence) {
            fences.invalidate();
        }
        if (last != null) {
            alerts.publishEvent(last); // one wake-up reads every step since the stream's cursor
        }
    }
}
