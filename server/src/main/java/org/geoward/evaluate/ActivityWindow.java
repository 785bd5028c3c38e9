package org.geoward.evaluate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * Says when a fence is active: an optional date range (both ends inclusive), optional months of every year (a
 * summer schedule: June to September) and optional daily hours (from inclusive, until exclusive), all in a time
 * zone. Nulls and an empty month set mean unbounded; daily hours may cross midnight (22:00-06:00).
 *
 * @param months the months it is active in, every year; empty means every month
 */
public record ActivityWindow(
        LocalDate from, LocalDate until, LocalTime dailyFrom, LocalTime dailyUntil, ZoneId zone, Set<Month> months) {

    /** A window that is always active. */
    public static final ActivityWindow ALWAYS = new ActivityWindow(null, null, null, null, ZoneOffset.UTC, Set.of());

    public ActivityWindow {
        if (zone == null) {
            zone = ZoneOffset.UTC;
        }
        months = months == null || months.isEmpty() || months.size() == 12
                ? Set.of()
                : Set.copyOf(EnumSet.copyOf(months));
    }

    /** Tells whether the window never closes. */
    public boolean isAlways() {
        return from == null && until == null && dailyFrom == null && dailyUntil == null && months.isEmpty();
    }

    /** Tells whether the window is open at the given instant. */
    public boolean isActiveAt(Instant instant) {
        if (isAlways()) {
            return true;
        }
        ZonedDateTime local = instant.atZone(zone);
        LocalDate date = local.toLocalDate();
        if ((from != null && date.isBefore(from)) || (until != null && date.isAfter(until))) {
            return false;
        }
        if (!months.isEmpty() && !months.contains(date.getMonth())) {
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
