package org.geoward.notify;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

/** Copies the settings the outbox trigger reads ({@code notify_setting}) from configuration at start. */
@Singleton
class NotifySettingsWriter {
    private final JdbcOperations jdbc;
    private final NotifySettings settings;

    NotifySettingsWriter(JdbcOperations jdbc, NotifySettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    @EventListener
    @Transactional
    void onStartup(StartupEvent event) {
        jdbc.prepareStatement("UPDATE notify_setting SET sms_quiet_hours = ?", ps -> {
            ps.setInt(1, settings.smsQuietHours());
            return ps.executeUpdate();
        });
    }
}
