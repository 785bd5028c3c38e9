package org.geoward;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Checks Geoward's documented settings (the {@code GEOWARD_*} environment variables) before the server starts, so
 * that a wrong value stops it with one line naming the setting, what it is and what it should be, instead of a stack
 * trace from deep inside a library. Only the values' form is checked here (a number, a port, a URL); whether the
 * database answers is the readiness probe's question. Stateless.
 */
final class StartupCheck {
    private static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    private StartupCheck() {}

    /** The problems found in {@code env}, one line each; empty when every set value is well-formed. */
    static List<String> problems(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Checker c = new Checker(env, problems);
        c.check("GEOWARD_PORT", v -> port(v, false), "a TCP port 0-65535 (0 = any free port)");
        c.check("GEOWARD_OSMAND_PORT", v -> port(v, true), "a TCP port 0-65535, or -1 to turn the OsmAnd door off");
        c.check("GEOWARD_GT06_PORT", v -> port(v, true), "a TCP port 0-65535, or -1 to turn the GT06 door off");
        c.check("GEOWARD_DB_POOL", v -> between(v, 1, 1000), "a number of connections, 1-1000");
        c.check("GEOWARD_DB_CONNECT_TIMEOUT_MS", v -> between(v, 250, 600_000), "milliseconds, 250-600000");
        c.check(
                "GEOWARD_TOKEN_SECONDS",
                v -> between(v, 60, 31_536_000),
                "seconds, 60 (a minute) to 31536000 (a year)");
        c.check("GEOWARD_JWT_SECRET", v -> v.length() >= 32, "at least 32 characters");
        c.check("GEOWARD_METRICS_TOKEN", v -> v.trim().length() >= 16, "at least 16 characters (a random string)");
        c.check("GEOWARD_LOG_LEVEL", v -> LOG_LEVELS.contains(v.toUpperCase(Locale.ROOT)), "one of " + LOG_LEVELS);
        c.check("GEOWARD_DEMO", StartupCheck::isBoolean, "true or false");
        c.check(
                "GEOWARD_DB_URL",
                v -> v.startsWith("jdbc:postgresql://") || v.equals("jdbc:geoward:private"),
                "a JDBC URL like jdbc:postgresql://host:5432/geoward");
        c.check(
                "GEOWARD_MQTT_URL",
                StartupCheck::isBrokerUrl,
                "a broker URL like tcp://127.0.0.1:1883 or ssl://broker.example:8883");
        c.check("GEOWARD_TILE_CRS", v -> v.equalsIgnoreCase("WGS84") || v.equalsIgnoreCase("GCJ02"), "WGS84 or GCJ02");
        c.check(
                "GEOWARD_TILE_URL",
                v -> (v.startsWith("http://") || v.startsWith("https://") || v.startsWith("/"))
                        && v.contains("{z}")
                        && v.contains("{x}")
                        && v.contains("{y}"),
                "a tile URL template with {z}, {x} and {y}, like https://tiles.intranet/{z}/{x}/{y}.png");
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

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** Applies one rule to one variable when it is set. */
    private record Checker(Map<String, String> env, List<String> problems) {
        void check(String name, Function<String, Boolean> rule, String expected) {
            String value = env.get(name);
            if (isSet(value) && !rule.apply(value)) {
                String shown =
                        name.endsWith("_SECRET") || name.endsWith("_PASSWORD") || name.equals("GEOWARD_METRICS_TOKEN")
                                ? "(" + value.length() + " characters)"
                                : "'" + value + "'";
                problems.add(name + " is " + shown + ": it should be " + expected);
            }
        }
    }
}
