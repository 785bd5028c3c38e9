package org.geoward.clock;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.geoward.problem.ProblemException;

/**
 * Reads a time given as a query parameter ({@code from}, {@code to}, {@code before}): ISO-8601 with an offset, such
 * as {@code 2026-11-22T08:00:00Z} or {@code 2026-11-22T16:00:00+08:00}, within the years 0001 to 9999. Beyond those
 * years PostgreSQL's {@code timestamptz} cannot hold the value (its range ends in 294276 AD) and no track, alert or
 * audit row lies there, so such a time is refused with a 400 naming the parameter. Stateless.
 */
public final class QueryTimes {
    /** The earliest time a query may name: 0001-01-01T00:00:00Z. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest time a query may name: the last microsecond of 9999. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private QueryTimes() {}

    /** The time in {@code raw}, or null when it is absent or blank. */
    public static Instant parse(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(raw.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(
                    name, name + " '" + raw + "' is not an ISO-8601 time with offset, such as 2026-11-22T08:00:00Z");
        }
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            throw ProblemException.badRequest(
                    name, name + " '" + raw + "' is outside the years 0001 to 9999 that a query may name");
        }
        return time;
    }

    /** The time in {@code raw}, or {@code otherwise} when it is absent or blank. */
    public static Instant parse(String name, String raw, Instant otherwise) {
        Instant time = parse(name, raw);
        return time == null ? otherwise : time;
    }
}
