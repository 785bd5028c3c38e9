package org.geoward;

import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.server.exceptions.ServerStartupException;
import io.micronaut.runtime.Micronaut;
import java.sql.SQLException;
import java.util.List;
import org.geoward.database.PrivateDatabase;
import org.geoward.problem.SettingsException;

/**
 * Micronaut's launcher, except that a start stopped by a wrong setting (a {@link SettingsException}, or a value
 * Micronaut could not convert) prints one line per setting and exits 2, as {@link StartupCheck} does, instead of Micronaut's page of stack trace. A database that does not answer and an HTTP
 * port that cannot be bound are one line too, with exit code 1 (they may heal: systemd starts the server again). Any
 * other failure is Micronaut's to report.
 */
final class Launcher extends Micronaut {
    static final int WRONG_SETTING = 2;
    static final int NOT_AVAILABLE = 1;

    @Override
    protected void handleStartupException(Environment environment, Throwable error) {
        Verdict verdict = verdict(environment, error);
        if (verdict != null) {
            verdict.lines().forEach(System.err::println);
            exit(verdict.exitCode());
        }
        super.handleStartupException(environment, error);
    }

    /** What a failed start prints (each line whole) and the exit code it ends with. */
    record Verdict(List<String> lines, int exitCode) {}

    /**
     * How a start that failed with {@code error} ends: a {@link SettingsException} (a settings bean's own check, or
     * {@link SettingsCheck}) or a value Micronaut could not convert is a wrong setting; an unreachable database and an
     * HTTP port that cannot be bound are not available; null for any other failure (Micronaut reports it). Only the
     * type of a cause decides, never its message.
     */
    static Verdict verdict(Environment environment, Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SettingsException settings) {
                return new Verdict(
                        settings.problems().stream().map(p -> "geoward: " + p).toList(), WRONG_SETTING);
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConversionErrorException || cause instanceof ConfigurationException) {
                return new Verdict(
                        List.of("geoward: a setting is wrong: " + firstLine(cause.getMessage())), WRONG_SETTING);
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && isConnectionProblem(sql)) {
                return new Verdict(
                        List.of("geoward: cannot use the database at " + databaseUrl(environment) + ": "
                                + firstLine(sql.getMessage())
                                + " (GEOWARD_DB_URL, GEOWARD_DB_USER, GEOWARD_DB_PASSWORD)"),
                        isWrongCredentials(sql) ? WRONG_SETTING : NOT_AVAILABLE);
            }
            if (cause instanceof ServerStartupException) {
                Throwable root = cause;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                return new Verdict(
                        List.of("geoward: " + firstLine(cause.getMessage()) + ": " + firstLine(root.getMessage())
                                + " (GEOWARD_HOST must be an address of this machine, GEOWARD_PORT a port no other"
                                + " program holds)"),
                        NOT_AVAILABLE);
            }
        }
        return null;
    }

    /** Connection refused or lost (SQLSTATE 08), authentication (28), no such database (3D000). */
    private static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || isWrongCredentials(e));
    }

    private static boolean isWrongCredentials(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("28") || state.equals("3D000"));
    }

    /** The configured JDBC URL without its query, which may hold a password. */
    private static String databaseUrl(Environment environment) {
        String url = environment == null
                ? null
                : environment
                        .getProperty("datasources.default.url", String.class)
                        .orElse(null);
        if (url == null) {
            return "(unknown)";
        }
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static void exit(int code) {
        PrivateDatabase.stopEarly();
        System.exit(code);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
