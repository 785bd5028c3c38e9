package org.geoward;

import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.server.exceptions.ServerStartupException;
import io.micronaut.runtime.Micronaut;
import java.sql.SQLException;
import org.geoward.SettingsCheck.SettingsException;
import org.geoward.database.PrivateDatabase;

/**
 * Micronaut's launcher, except that a start stopped by a wrong setting prints one line per setting and exits 2, as
 * {@link StartupCheck} does, instead of Micronaut's page of stack trace. A database that does not answer and an HTTP
 * port that cannot be bound are one line too, with exit code 1 (they may heal: systemd starts the server again). Any
 * other failure is Micronaut's to report.
 */
final class Launcher extends Micronaut {
    static final int WRONG_SETTING = 2;
    static final int NOT_AVAILABLE = 1;

    @Override
    protected void handleStartupException(Environment environment, Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SettingsException settings) {
                settings.problems().forEach(problem -> System.err.println("geoward: " + problem));
                exit(WRONG_SETTING);
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConversionErrorException || cause instanceof ConfigurationException) {
                System.err.println("geoward: a setting is wrong: " + firstLine(cause.getMessage()));
                exit(WRONG_SETTING);
            }
            if (cause instanceof RuntimeException
                    && cause.getMessage() != null
                    && cause.getMessage().startsWith("geoward.")) {
                // a settings bean's own check: "geoward.retention.ward-days must be at least 1 day, not -5"
                System.err.println("geoward: the setting " + firstLine(cause.getMessage()));
                exit(WRONG_SETTING);
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && isConnectionProblem(sql)) {
                System.err.println("geoward: cannot use the database at " + databaseUrl(environment) + ": "
                        + firstLine(sql.getMessage()) + " (GEOWARD_DB_URL, GEOWARD_DB_USER, GEOWARD_DB_PASSWORD)");
                exit(isWrongCredentials(sql) ? WRONG_SETTING : NOT_AVAILABLE);
            }
            if (cause instanceof ServerStartupException) {
                Throwable root = cause;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                System.err.println("geoward: " + firstLine(cause.getMessage()) + ": " + firstLine(root.getMessage())
                        + " (GEOWARD_HOST must be an address of this machine, GEOWARD_PORT a port no other"
                        + " program holds)");
                exit(NOT_AVAILABLE);
            }
        }
        super.handleStartupException(environment, error);
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
