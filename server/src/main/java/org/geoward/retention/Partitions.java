package org.geoward.retention;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.geoward.evaluate.SubjectKind;

/**
 * The day partitions of {@code sighting}: one per subject kind and day, {@code sighting_<kind>_pYYYYMMDD} under
 * {@code sighting_<kind>} (V44): which exist, and making them. Thread-safe.
 */
@Singleton
class Partitions {
    private static final Pattern NAME = Pattern.compile("^sighting_(ward|guardian|officer|visitor)_p(\\d{8})$");

    /** The kinds that have partitions of their own, each kept as long as its retention says. */
    static final List<SubjectKind> KINDS =
            List.of(SubjectKind.WARD, SubjectKind.GUARDIAN, SubjectKind.OFFICER, SubjectKind.VISITOR);

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final JdbcOperations jdbc;

    Partitions(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** A kind's day partition, its estimated rows (from the statistics) and its bounds as PostgreSQL prints them. */
    record Day(String name, SubjectKind kind, LocalDate day, long estimatedRows, String bounds) {}

    /** The day partitions of every kind, by kind, oldest first. */
    @Transactional
    List<Day> days() {
        return jdbc.prepareStatement(
                """
                SELECT c.relname, greatest(c.reltuples, 0)::bigint, pg_get_expr(c.relpartbound, c.oid)
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent IN (SELECT k.inhrelid FROM pg_inherits k WHERE k.inhparent = 'sighting'::regclass)
                ORDER BY c.relname""",
                ps -> {
                    List<Day> days = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Matcher m = NAME.matcher(rs.getString(1));
                            if (m.matches()) {
                                days.add(new Day(
                                        rs.getString(1),
                                        SubjectKind.valueOf(m.group(1).toUpperCase(Locale.ROOT)),
                                        LocalDate.parse(m.group(2), DAY),
                                        rs.getLong(2),
                                        rs.getString(3)));
                            }
                        }
                    }
                    return days;
                });
    }

    /**
     * Makes the partition of {@code kind}'s {@code day} in {@code zone} unless it exists; fails if the kind's DEFAULT
     * partition holds rows of that day.
     */
    @Transactional
    String make(SubjectKind kind, LocalDate day, String zone) {
        return jdbc.prepareStatement("SELECT sighting_partition_for(?, ?::date, ?)", ps -> {
            ps.setString(1, kind.name());
            ps.setString(2, day.toString());
            ps.setString(3, zone);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    /** The partition name of {@code kind}'s {@code day}. */
    static String nameOf(SubjectKind kind, LocalDate day) {
        return "sighting_" + kind.name().toLowerCase(Locale.ROOT) + "_p" + DAY.format(day);
    }

    /** The table {@code kind}'s day partitions hang from. */
    static String parentOf(SubjectKind kind) {
        return "sighting_" + kind.name().toLowerCase(Locale.ROOT);
    }
}
