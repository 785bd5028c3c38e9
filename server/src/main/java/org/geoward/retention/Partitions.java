package org.geoward.retention;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The day partitions of {@code sighting} ({@code sighting_pYYYYMMDD}, V28): which exist, and making one. Thread-safe.
 */
@Singleton
class Partitions {
    private static final Pattern NAME = Pattern.compile("^sighting_p(\\d{8})$");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final JdbcOperations jdbc;

    Partitions(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** A day partition, its estimated row count (from the statistics) and its bounds as PostgreSQL prints them. */
    record Day(String name, LocalDate day, long estimatedRows, String bounds) {}

    /** The day partitions, oldest first. */
    @Transactional
    List<Day> days() {
        return jdbc.prepareStatement(
                """
                SELECT c.relname, greatest(c.reltuples, 0)::bigint, pg_get_expr(c.relpartbound, c.oid)
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'sighting'::regclass ORDER BY c.relname""",
                ps -> {
                    List<Day> days = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Matcher m = NAME.matcher(rs.getString(1));
                            if (m.matches()) {
                                days.add(new Day(
                                        rs.getString(1),
                                        LocalDate.parse(m.group(1), DAY),
                                        rs.getLong(2),
                                        rs.getString(3)));
                            }
                        }
                    }
                    return days;
                });
    }

    /** Makes the partition of {@code day} in {@code zone} unless it exists; fails if DEFAULT holds rows of that day. */
    @Transactional
    String make(LocalDate day, String zone) {
        return jdbc.prepareStatement("SELECT sighting_partition_for(?::date, ?)", ps -> {
            ps.setString(1, day.toString());
            ps.setString(2, zone);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    static String nameOf(LocalDate day) {
        return "sighting_p" + DAY.format(day);
    }
}
