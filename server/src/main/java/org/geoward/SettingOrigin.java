package org.geoward;

import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Says where a setting's value came from, for the line that refuses it: the environment variable (also one named in
 * an {@code application.yml} placeholder such as {@code ${GEOWARD_GT06_IDLE_TIMEOUT:5m}}), the {@code -D} system
 * property, or the YAML file ({@code MICRONAUT_CONFIG_FILES}). Reads the environment's property sources, the one of
 * highest precedence first; stateless.
 */
final class SettingOrigin {
    private SettingOrigin() {}

    /** {@code "from the environment variable GEOWARD_PORT"} and the like, or empty when no source holds it. */
    static Optional<String> of(Environment environment, String name, Map<String, String> env) {
        List<PropertySource> sources = environment.getPropertySources().stream()
                .sorted(Comparator.comparingInt(PropertySource::getOrder).reversed())
                .toList();
        for (PropertySource source : sources) {
            boolean isEnvironment = source.getConvention() == PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE;
            String key = isEnvironment ? variableName(name) : name;
            Object raw = source.get(key);
            if (raw == null) {
                continue;
            }
            if (isEnvironment) {
                return Optional.of("from the environment variable " + key);
            }
            String placeholder = placeholderVariable(raw.toString());
            if (placeholder != null && StartupCheck.isSet(env.get(placeholder))) {
                return Optional.of("from the environment variable " + placeholder);
            }
            if ("system".equals(source.getName())) {
                return Optional.of("from the system property -D" + name);
            }
            if (placeholder != null) {
                return Optional.empty(); // a placeholder's default, or one resolved from elsewhere
            }
            return Optional.of("in " + sourceName(source.getName()));
        }
        return Optional.empty();
    }

    /** {@code GEOWARD_DISPATCH_STALE_MINUTES} for {@code geoward.dispatch.stale-minutes}. */
    static String variableName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The variable of {@code ${NAME:default}} when the whole value is one placeholder, else null. */
    private static String placeholderVariable(String raw) {
        String trimmed = raw.trim();
        if (!trimmed.startsWith("${") || !trimmed.endsWith("}")) {
            return null;
        }
        return SettingsCheck.settingName(trimmed);
    }

    private static String sourceName(String name) {
        return switch (name) {
            case "application" -> "application.yml";
            default -> name;
        };
    }
}
