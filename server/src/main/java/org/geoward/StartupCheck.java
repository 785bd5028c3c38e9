package org.geoward;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks Geoward's documented settings (the {@code GEOWARD_*} environment variables) before the server starts, so
 * that a wrong value stops it with one line naming the setting, what it is and what it should be, instead of a stack
 * trace from deep inside a library. Only the values' form is checked here (a number, a port, a URL); whether the
 * database answers is the readiness probe's question. The same rules are applied by {@link SettingsCheck} to the
 * Micronaut property each variable sets, for a value given in YAML or as {@code -D}. Stateless.
 */
final class StartupCheck {
    private static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[?[0-9A-Fa-f:.]+]?");
    private static final String HOST_EXPECTED = "an address of this machine like 127.0.0.1 or 0.0.0.0, or a host name";

    /**
     * A documented setting: its environment variable, the property it sets in {@code application.yml} (null when
     * only the variable exists), the rule a set value must pass and the words that say what it should be.
     */
    record Setting(String variable, String property, Predicate<String> rule, String expected) {
        boolean isSecret() {
            return variable.endsWith("_SECRET") || variable.endsWith("_PASSWORD") || variable.endsWith("_TOKEN");
        }

        /** {@code 'value'}, or {@code (n characters)} for a secret. */
        String shown(String value) {
            return isSecret() ? "(" + value.length() + " characters)" : "'" + value + "'";
        }
    }

    /** Every setting the README's configuration table and docs/operations.md list with a rule for its form. */
    static final List<Setting> SETTINGS = List.of(
            new Setting(
                    "GEOWARD_PORT",
                    "micronaut.server.port",
                    v -> port(v, true),
                    "a TCP port 0-65535 (0 or -1 = any free port)"),
            new Setting("GEOWARD_HOST", "micronaut.server.host", StartupCheck::isHost, HOST_EXPECTED),
            new Setting(
                    "GEOWARD_OSMAND_PORT",
                    "geoward.osmand.port",
                    v -> port(v, true),
                    "a TCP port 0-65535, or -1 to turn the OsmAnd door off"),
            new Setting(
                    "GEOWARD_GT06_PORT",
                    "geoward.gt06.port",
                    v -> port(v, true),
                    "a TCP port 0-65535, or -1 to turn the GT06 door off"),
            new Setting("GEOWARD_DEVICES_HOST", "geoward.devices.host", StartupCheck::isHost, HOST_EXPECTED),
            new Setting(
                    "GEOWARD_DB_POOL",
                    "datasources.default.maximum-pool-size",
                    v -> between(v, 1, 1000),
                    "a number of connections, 1-1000"),
            new Setting(
                    "GEOWARD_DB_CONNECT_TIMEOUT_MS",
                    "datasources.default.connection-timeout",
                    v -> between(v, 250, 600_000),
                    "milliseconds, 250-600000"),
            new Setting(
                    "GEOWARD_TOKEN_SECONDS",
                    "micronaut.security.token.generator.access-token.expiration",
                    v -> between(v, 60, 31_536_000),
                    "seconds, 60 (a minute) to 31536000 (a year)"),
            new Setting("GEOWARD_JWT_SECRET", "geoward.jwt-secret", v -> v.length() >= 32, "at least 32 characters"),
            new Setting(
                    "GEOWARD_METRICS_TOKEN",
                    "geoward.metrics.token",
                    v -> v.trim().length() >= 16,
                    "at least 16 characters (a random string)"),
            new Setting(
                    "GEOWARD_LOG_LEVEL",
                    null,
                    v -> LOG_LEVELS.contains(v.toUpperCase(Locale.ROOT)),
                    "one of " + LOG_LEVELS),
            new Setting("GEOWARD_DEMO", "geoward.demo", StartupCheck::isBoolean, "true or false"),
            new Setting(
                    "GEOWARD_DB_URL",
                    "datasources.default.url",
                    v -> v.startsWith("jdbc:postgresql://") || v.equals("jdbc:geoward:private"),
                    "a JDBC URL like jdbc:postgresql://host:5432/geoward"),
            new Setting(
                    "GEOWARD_MQTT_URL",
                    "geoward.mqtt.url",
                    StartupCheck::isBrokerUrl,
                    "a broker URL like tcp://127.0.0.1:1883 or ssl://broker.example:8883"),
            new Setting(
                    "GEOWARD_TILE_CRS",
                    "geoward.map.tile-crs",
                    v -> v.equalsIgnoreCase("WGS84") || v.equalsIgnoreCase("GCJ02"),
                    "WGS84 or GCJ02"),
            new Setting(
                    "GEOWARD_TILE_URL",
                    "geoward.map.tiles",
                    v -> (v.startsWith("http://") || v.startsWith("https://") || v.startsWith("/"))
                            && v.contains("{z}")
                            && v.contains("{x}")
                            && v.contains("{y}"),
                    "a tile URL template with {z}, {x} and {y}, like https://tiles.intranet/{z}/{x}/{y}.png"),
            new Setting(
                    "GEOWARD_RETENTION_ZONE",
                    "geoward.retention.zone",
                    StartupCheck::isZone,
                    "a time zone like Asia/Shanghai"),
            new Setting(
                    "GEOWARD_KAFKA_BOOTSTRAP",
                    "geoward.kafka.bootstrap",
                    StartupCheck::isBootstrap,
                    "host:port[,host:port...], like kafka1.intranet:9092"));

    private StartupCheck() {}

    /** The problems found in {@code env}, one line each; empty when every set value is well-formed. */
    static List<String> problems(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        for (Setting setting : SETTINGS) {
            String value = env.get(setting.variable());
            if (isSet(value) && !setting.rule().test(value)) {
                problems.add(
                        setting.variable() + " is " + setting.shown(value) + ": it should be " + setting.expected());
            }
        }
        if (isSet(env.get("GEOWARD_MQTT_USER")) != isSet(env.get("GEOWARD_MQTT_PASSWORD"))) {
            problems.add("GEOWARD_MQTT_USER and GEOWARD_MQTT_PASSWORD go together: set both or neither");
        }
        return problems;
    }

    private static boolean port(String value, boolean mayBeOff) {
        return between(value, mayBeOff ? -1 : 0, 65535);
    }

    private static boolean between(String value, long min, long max) {
        try {
            long n = Long.parseLong(value.trim());
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isBoolean(String value) {
        return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
    }

    private static boolean isHost(String value) {
        return HOST.matcher(value.trim()).matches();
    }

    private static boolean isZone(String value) {
        try {
            ZoneId.of(value.trim());
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean isBootstrap(String value) {
        for (String server : value.split(",")) {
            int colon = server.trim().lastIndexOf(':');
            if (colon <= 0
                    || !isHost(server.trim().substring(0, colon))
                    || !between(server.trim().substring(colon + 1), 1, 65535)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBrokerUrl(String value) {
        try {
            URI uri = new URI(value.trim());
            return ("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme()))
                    && uri.getHost() != null
                    && uri.getPort() > 0;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
