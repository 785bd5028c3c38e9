package org.geoward.subject;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.geoward.account.AnsweringUnits;
import org.geoward.evaluate.AlertType;
import org.geoward.problem.SettingsException;

/**
 * Which unit answers which alert type: the one place the alert viewer and {@code account/Visibility} (what an
 * officer sees), dispatch (whom it offers) and the notification router (which officers are told) read. From {@code geoward.dispatch.units.<TYPE>};
 * LOITER → {@link Unit#FISHERIES} and every other type → {@link Unit#POLICE} unless configured. Immutable and
 * thread-safe.
 */
@Singleton
public final class AlertUnits implements AnsweringUnits {
    private final Map<AlertType, String> units = new EnumMap<>(AlertType.class);

    AlertUnits(
            @Nullable
                    @Property(name = "geoward.dispatch.units")
                    @MapFormat(transformation = MapFormat.MapTransformation.FLAT)
                    Map<String, String> configured) {
        for (AlertType type : AlertType.values()) {
            units.put(type, type == AlertType.LOITER ? Unit.FISHERIES : Unit.POLICE);
        }
        if (configured != null) {
            configured.forEach((type, unit) -> units.put(alertType(type), unit.trim()));
        }
    }

    /** The unit whose officers answer alerts of {@code type}. */
    public String unitFor(AlertType type) {
        return units.get(type);
    }

    /** Every alert type with the unit that answers it. */
    @Override
    public Map<AlertType, String> byType() {
        return Collections.unmodifiableMap(units);
    }

    private static AlertType alertType(String name) {
        try {
            return AlertType.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("geoward.dispatch.units: unknown alert type " + name);
        }
    }
}
