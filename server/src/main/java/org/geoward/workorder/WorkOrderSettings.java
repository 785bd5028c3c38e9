package org.geoward.workorder;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.geoward.problem.SettingsException;

/**
 * The {@code geoward.work-orders.deadline-hours.<CATEGORY>} configuration: hours from a work order's opening to its
 * deadline, by category (defaults in {@link Category}). Immutable and thread-safe.
 */
@Singleton
final class WorkOrderSettings {
    private final Map<Category, Duration> deadlines = new EnumMap<>(Category.class);

    WorkOrderSettings(
            @Nullable
                    @Property(name = "geoward.work-orders.deadline-hours")
                    @MapFormat(transformation = MapFormat.MapTransformation.FLAT)
                    Map<String, String> hours) {
        for (Category c : Category.values()) {
            deadlines.put(c, Duration.ofHours(c.defaultHours));
        }
        if (hours != null) {
            hours.forEach((name, value) -> {
                Category category;
                try {
                    category = Category.valueOf(
                            name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
                } catch (IllegalArgumentException e) {
                    throw new SettingsException("geoward.work-orders.deadline-hours: unknown category " + name);
                }
                double h = Double.parseDouble(value.trim());
                if (!(h > 0)) {
                    throw new SettingsException("geoward.work-orders.deadline-hours." + name + " must be positive");
                }
                deadlines.put(category, Duration.ofSeconds(Math.round(h * 3600)));
            });
        }
    }

    /** The time allowed for a work order of {@code category}. */
    Duration deadline(Category category) {
        return deadlines.get(category);
    }
}
