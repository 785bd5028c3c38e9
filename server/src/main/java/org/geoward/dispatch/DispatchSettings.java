package org.geoward.dispatch;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.geoward.evaluate.AlertType;
import org.geoward.problem.SettingsException;
import org.geoward.subject.AlertUnits;
import org.geoward.subject.TravelMode;

/**
 * The {@code geoward.dispatch.*} configuration, with its defaults:
 *
 * <ul>
 *   <li>{@code speeds.walk}, {@code speeds.car}, {@code speeds.boat}: km/h for the ETA (5, 30, 20);
 *   <li>{@code stale-minutes}: an officer whose last fix is older is stale and ranked after fresh ones (10);
 *   <li>{@code accept-timeout}: an automatic assignment not accepted within it is offered to the next nearest
 *       officer (3m; any Micronaut duration such as {@code 2s});
 *   <li>{@code auto}: the alert types dispatched automatically when they open (none);
 *   <li>{@code units.<TYPE>}: the unit an alert type calls for, read through {@link AlertUnits} (the one place the
 *       viewer, dispatch and the notification router share);
 *   <li>{@code arrival-meters}: a fix this close to the target records the officer's arrival (50);
 *   <li>{@code grid-meters}: an available officer of the grid an alert lies in is offered first when their fresh fix
 *       is within this many metres of it (2000; 0 turns grid preference off);
 *   <li>{@code rivers}: the river centre lines BOAT officers follow (classpath resource or file, GeoJSON; by
 *       default {@code demo/yangtze_wu_fuling.geojson}, read by {@link RiverChannels}).
 * </ul>
 *
 * Immutable and thread-safe.
 */
@Singleton
final class DispatchSettings {
    private final Map<TravelMode, Double> speedsKmh = new EnumMap<>(TravelMode.class);
    private final AlertUnits units;
    private final Set<AlertType> auto = EnumSet.noneOf(AlertType.class);
    private final int staleMinutes;
    private final Duration acceptTimeout;
    private final double arrivalMeters;
    private final double gridMeters;

    DispatchSettings(
            @Value("${geoward.dispatch.speeds.walk:5}") double walkKmh,
            @Value("${geoward.dispatch.speeds.car:30}") double carKmh,
            @Value("${geoward.dispatch.speeds.boat:20}") double boatKmh,
            @Value("${geoward.dispatch.stale-minutes:10}") int staleMinutes,
            @Value("${geoward.dispatch.accept-timeout:3m}") Duration acceptTimeout,
            @Value("${geoward.dispatch.arrival-meters:50}") double arrivalMeters,
            @Value("${geoward.dispatch.grid-meters:2000}") double gridMeters,
            @Nullable @Property(name = "geoward.dispatch.auto") List<String> auto,
            AlertUnits units) {
        speedsKmh.put(TravelMode.WALK, positive("speeds.walk", walkKmh));
        speedsKmh.put(TravelMode.CAR, positive("speeds.car", carKmh));
        speedsKmh.put(TravelMode.BOAT, positive("speeds.boat", boatKmh));
        this.staleMinutes = staleMinutes;
        this.acceptTimeout = acceptTimeout;
        this.arrivalMeters = arrivalMeters;
        this.gridMeters = gridMeters;
        this.units = units;
        if (auto != null) {
            auto.stream()
                    .filter(t -> !t.isBlank())
                    .map(DispatchSettings::alertType)
                    .forEach(this.auto::add);
        }
    }

    /** The speed of {@code mode} in km/h. */
    double speedKmh(TravelMode mode) {
        return speedsKmh.get(mode);
    }

    /** The unit whose officers are sent to alerts of {@code type}. */
    String unitFor(AlertType type) {
        return units.unitFor(type);
    }

    /** Whether alerts of {@code type} are assigned to the nearest available officer as soon as they open. */
    boolean isAutomatic(AlertType type) {
        return auto.contains(type);
    }

    /** The alert types dispatched automatically. */
    Set<AlertType> automaticTypes() {
        return EnumSet.copyOf(auto);
    }

    int staleMinutes() {
        return staleMinutes;
    }

    Duration acceptTimeout() {
        return acceptTimeout;
    }

    /** How far (metres) a grid's own officer may be from an alert in their grid and still be offered first. */
    double gridMeters() {
        return gridMeters;
    }

    double arrivalMeters() {
        return arrivalMeters;
    }

    private static AlertType alertType(String name) {
        try {
            return AlertType.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("geoward.dispatch: unknown alert type " + name);
        }
    }

    private static double positive(String key, double kmh) {
        if (!(kmh > 0)) {
            throw new SettingsException("geoward.dispatch." + key + " must be a positive speed in km/h");
        }
        return kmh;
    }
}
