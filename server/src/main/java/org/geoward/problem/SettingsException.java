package org.geoward.problem;

import java.util.List;

/**
 * A setting is wrong and the server must not start: thrown by a settings bean's own check (a range, a name it does
 * not know) and by {@code SettingsCheck}; {@code Launcher} prints each problem as one line {@code geoward: <problem>}
 * without a stack trace and exits 2. The type is the signal, whatever the message says.
 */
public final class SettingsException extends RuntimeException {
    private final List<String> problems;

    /**
     * One wrong setting: {@code problem} is a sentence that starts with the setting's name, e.g. {@code
     * geoward.retention.ward-days must be at least 1 day, not -5}; printed as {@code geoward: the setting <problem>}.
     */
    public SettingsException(String problem) {
        this(problem, null);
    }

    /** One wrong setting, as {@link #SettingsException(String)}, found through {@code cause}. */
    public SettingsException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of("the setting " + problem);
    }

    /** Several wrong settings, each {@code problems} line already a whole sentence ({@code the setting … is …}). */
    public SettingsException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per wrong setting, to print after {@code geoward: }. */
    public List<String> problems() {
        return problems;
    }
}
