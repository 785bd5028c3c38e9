package org.geoward.evaluate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Says when a fence is active: an optional date range (both ends inclusive) and optional daily hours (from
 * inclusive, until exclusive) in a time zone. Nulls mean unbounded; daily hours may cross midnight (22:00-06:00).
 */
public record ActivityWindow(LocalDate from, LocalDate until, LocalTime dailyFrom, LocalTime dailyUntil, ZoneId zone) {

    /** A window that is always active. */
    public static final ActivityWindow ALWAYS = new ActivityWindow(null, null, null, null, ZoneOffset.UTC);

    public ActivityWindow {
        if (zone == null) {
            zone = ZoneOffset.UTC;
        }
    }

    /** Tells whether the window is open at the given instant. */
    public boolean isActiveAt(Instant instant) {
        if (from == null && until == null && dailyFrom == null && dailyUntil == null) {
            return true;
        }
        ZonedDateTime local = instant.atZone(zone);
        LocalDate date = local.toLocalDate();
        if ((from != null && date.isBefore(from)) || (until != null && date.isAfter(until))) {
            return false;
        }
        LocalTime time = local.toLocalTime();
        if (dailyFrom != null && dailyUntil != null && dailyUntil.isBefore(dailyFrom)) {
            return !time.isBefore(dailyFrom) || time.isBefore(dailyUntil);
        }
        boolean afterStart = dailyFrom == null || !time.isBefore(dailyFrom);
        boolean beforeEnd = dailyUntil == null || time.isBefore(dailyUntil);
        return afterStart && beforeEnd;
    }
}
