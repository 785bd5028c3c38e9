package org.geoward.sensor;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.geoward.problem.SettingsException;

/**
 * The {@code geoward.sensors.*} configuration: {@code night} ("22:00-06:00", the hours in which a door left open is
 * an alarm; from inclusive, until exclusive, may cross midnight), {@code zone} (Asia/Shanghai) and {@code dispatch}
 * (true: every new home alarm is assigned to the officer dispatch would choose at once). Immutable, thread-safe.
 */
@Singleton
final class SensorSettings {
    static final String DEFAULT_NIGHT = "22:00-06:00";

    private final LocalTime nightFrom;
    private final LocalTime nightUntil;
    private final ZoneId zone;
    private final boolean dispatch;

    SensorSettings(
            @Nullable @Property(name = "geoward.sensors.night") String night,
            @Nullable @Property(name = "geoward.sensors.zone") String zone,
            @Value("${geoward.sensors.dispatch:true}") boolean dispatch) {
        // defaults here, not in the placeholders: "${...:22:00-06:00}" splits at the wrong colon
        night = night == null || night.isBlank() ? DEFAULT_NIGHT : night;
        zone = zone == null || zone.isBlank() ? "Asia/Shanghai" : zone;
        String[] parts = night.trim().split("-", -1);
        try {
            if (parts.length != 2) {
                throw new DateTimeException("expected two times");
            }
            this.nightFrom = LocalTime.parse(parts[0].trim());
            this.nightUntil = LocalTime.parse(parts[1].trim());
            this.zone = ZoneId.of(zone.trim());
        } catch (DateTimeParseException e) {
            throw new SettingsException("geoward.sensors.night must look like 22:00-06:00, not '" + night + "'", e);
        } catch (DateTimeException e) {
            throw new SettingsException(
                    "geoward.sensors.night '" + night + "' or zone '" + zone
                            + "' is not valid (HH:MM-HH:MM and an IANA zone such as Asia/Shanghai)",
                    e);
        }
        if (nightFrom.equals(nightUntil)) {
            throw new SettingsException("geoward.sensors.night starts and ends at " + nightFrom + ": no night");
        }
        this.dispatch = dispatch;
    }

    /** Tells whether {@code instant} falls in the night hours, in the configured zone. */
    boolean isNight(Instant instant) {
        LocalTime t = instant.atZone(zone).toLocalTime();
        if (nightUntil.isBefore(nightFrom)) {
            return !t.isBefore(nightFrom) || t.isBefore(nightUntil);
        }
        return !t.isBefore(nightFrom) && t.isBefore(nightUntil);
    }

    /** The night hours as configured, e.g. "22:00-06:00 Asia/Shanghai", for messages. */
    String night() {
        return nightFrom + "-" + nightUntil + " " + zone.getId();
    }

    boolean dispatches() {
        return dispatch;
    }
}
