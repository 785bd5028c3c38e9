package org.geoward.cluster;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.geoward.alert.AlertsChangedElsewhere;
import org.geoward.database.ChannelListener;
import org.geoward.fence.FenceCatalog;
import org.postgresql.PGNotification;

/**
 * Listens on the database channel {@code geoward_cluster} (triggers in V36): a fence change, by any node, makes this
 * node rebuild its fence index; an alert change, by any node, wakes this node's SSE streams. PostgreSQL's
 * notifications are sent at commit, so a stream never wakes for a change it cannot read yet. After the listening
 * session is lost, the index is rebuilt and the streams woken, since notifications may have been missed.
 */
@Singleton
@Requires(bean = KafkaSettings.class)
class ClusterListener {
    static final String CHANNEL = "geoward_cluster";

    private final FenceCatalog fences;
    private final ApplicationEventPublisher<AlertsChangedElsewhere> alerts;
    private final ChannelListener listener;

    ClusterListener(
            DataSource dataSource, FenceCatalog fences, ApplicationEventPublisher<AlertsChangedElsewhere> alerts) {
        this.fences = fences;
        this.alerts = alerts;
        this.listener = new ChannelListener(
                DelegatingDataSource.unwrapDataSource(dataSource),
                CHANNEL,
                () -> { // notifications may have been missed while nobody listened
                    fences.invalidate();
                    alerts.publishEvent(new AlertsChangedElsewhere(0, 0));
                },
                this::apply);
    }

    @EventListener
    void start(StartupEvent event) {
        listener.start("cluster-listener");
    }

    @PreDestroy
    void stop() throws InterruptedException {
        listener.stop();
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
