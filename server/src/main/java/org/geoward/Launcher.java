package org.geoward;

import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.runtime.Micronaut;
import org.geoward.SettingsCheck.SettingsException;
import org.geoward.database.PrivateDatabase;

/**
 * Micronaut's launcher, except that a start stopped by a wrong setting prints one line per setting and exits 2, as
 * {@link StartupCheck} does, instead of Micronaut's page of stack trace. Any other failure is Micronaut's to report.
 */
final class Launcher extends Micronaut {
    static final int WRONG_SETTING = 2;

    @Override
    protected void handleStartupException(Environment environment, Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SettingsException settings) {
                settings.problems().forEach(problem -> System.err.println("geoward: " + problem));
                exit();
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConversionErrorException || cause instanceof ConfigurationException) {
                System.err.println("geoward: a setting is wrong: " + firstLine(cause.getMessage()));
                exit();
            }
        }
        super.handleStartupException(environment, error);
    }

    private static void exit() {
        PrivateDatabase.stopEarly();
        System.exit(WRONG_SETTING);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
