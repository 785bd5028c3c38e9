package org.geoward.dispatch;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geoward.alert.AlertChanged;
import org.geoward.alert.AlertEvents;
import org.geoward.alert.AlertStatus;
import org.geoward.alert.AlertStep;

/**
 * Collects the steps of dispatch on an alert's timeline and hands them to {@link AlertEvents}, the one writer of
 * {@code alert_event}: a transaction first collects its steps with {@link #step}, then {@link #write}s them as its
 * last statements, under the ordering lock that keeps the SSE cursor from skipping a dispatch step (and with the
 * messages each step causes). The caller publishes {@code AlertChanged} with the returned ids after commit.
 */
@Singleton
final class Timeline {
    private final AlertEvents alertEvents;

    Timeline(AlertEvents alertEvents) {
        this.alertEvents = alertEvents;
    }

    /** One step waiting to be written: {@code actor} did {@code action} at {@code at}, leaving {@code status}. */
    record Step(long alertId, Instant at, String actor, String action, String status, Map<String, ?> detail) {}

    /** The step that {@code actor} did {@code action} to alert {@code alertId}; {@code detail} becomes jsonb. */
    Step step(long alertId, Instant at, String actor, String action, String status, Map<String, ?> detail) {
        return new Step(alertId, at, actor, action, status, new LinkedHashMap<>(detail));
    }

    /** Writes {@code steps} in order inside the caller's transaction; returns their event ids. Call it last. */
    List<Long> write(List<Step> steps) {
        List<AlertStep> alertSteps = steps.stream()
                .map(s -> new AlertStep(
                        s.alertId(),
                        s.actor(),
                        s.action(),
                        AlertStatus.valueOf(s.status()),
                        new LinkedHashMap<String, Object>(s.detail()),
                        s.at()))
                .toList();
        return alertEvents.append(alertSteps).stream()
                .map(AlertChanged::eventId)
                .toList();
    }
}
