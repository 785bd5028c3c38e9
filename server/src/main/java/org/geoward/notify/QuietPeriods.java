package org.geoward.notify;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;

/**
 * The SMS quiet periods ({@code sms_quiet}): a phone warned of loitering is not warned again within the
 * quiet hours of the notify settings ({@code sms_quiet_hours}). Each method is one statement in the caller's transaction. Thread-safe.
 */
@Singleton
public class QuietPeriods {
    private final JdbcOperations jdbc;

    QuietPeriods(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Starts {@code phone}'s quiet period now unless one of {@code quietHours} is running: one atomic statement, so
     * two steps never both warn. True when it started (the phone may be warned).
     */
    boolean claim(String phone, int quietHours) {
        return jdbc.prepareStatement(
                """
                INSERT INTO sms_quiet AS q (phone, warned_at) VALUES (?, now())
                ON CONFLICT (phone) DO UPDATE SET warned_at = EXCLUDED.warned_at
                    WHERE q.warned_at <= now() - make_interval(hours => ?)
                RETURNING true""",
                ps -> {
                    ps.setString(1, phone);
                    ps.setInt(2, quietHours);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                });
    }

    /** Ends the quiet periods of the phones starting with {@code prefix} (a seeded range); returns how many. */
    public int forgetStartingWith(String prefix) {
        return jdbc.prepareStatement("DELETE FROM sms_quiet WHERE starts_with(phone, ?)", ps -> {
            ps.setString(1, prefix);
            return ps.executeUpdate();
        });
    }
}
