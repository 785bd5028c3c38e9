package org.geoward.dispatch

import io.micronaut.runtime.event.annotation.EventListener
import jakarta.inject.Singleton
import org.geoward.alert.AlertChanged

import java.util.concurrent.CopyOnWriteArrayList

/** Records every {@link AlertChanged} published in the spec's application context. */
@Singleton
class RecordedChanges {
    final List<AlertChanged> changes = new CopyOnWriteArrayList<>()

    @EventListener
    void onChange(AlertChanged changed) {
        changes << changed
    }

    List<Long> eventIds(long alertId) {
        changes.findAll { it.alertId() == alertId }*.eventId()
    }
}
