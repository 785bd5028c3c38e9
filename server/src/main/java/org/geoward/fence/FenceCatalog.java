package org.geoward.fence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.geoward.evaluate.ActivityWindow;
import org.geoward.evaluate.Fence;
import org.geoward.evaluate.FenceIndex;
import org.geoward.evaluate.FenceKind;
import org.geoward.evaluate.SubjectCategory;
import org.geoward.geo.Geometries;

/**
 * The evaluator's view of the fences: an immutable {@link FenceIndex} of every fence not retired, rebuilt after a
 * change. Writers call {@link #invalidate()} after their transaction commits; the next {@link #index()} rebuilds.
 * Thread-safe.
 */
@Singleton
public class FenceCatalog {
    private static final String SELECT =
            """
            SELECT id, name, kind, ST_AsBinary(geom) AS wkb, radius_meters, buffer_meters, hysteresis_meters,
                   dwell_minutes, max_gap_minutes, subjects, active_from, active_until, daily_from, daily_until, zone,
                   categories, active_months
            FROM fence WHERE retired_at IS NULL AND kind <> 'GRID' ORDER BY id""";

    private final JdbcOperations jdbc;
    private volatile FenceIndex index;
    private volatile long generation;

    public FenceCatalog(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** The current index of active fences, built from the database on first use and after each change. */
    public FenceIndex index() {
        FenceIndex current = index;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (index == null) {
                long seen = generation;
                FenceIndex built = FenceIndex.of(loadAll());
                if (seen == generation) {
                    index = built;
                }
                return built;
            }
            return index;
        }
    }

    /** Drops the cached index: fences changed. Call after the change is committed. */
    public void invalidate() {
        synchronized (this) {
            generation++;
            index = null;
        }
    }

    /** Every fence that is not retired, as the evaluator sees it; GRID fences raise nothing and are left out. */
    @Transactional
    public List<Fence> loadAll() {
        return jdbc.prepareStatement(SELECT, ps -> {
            List<Fence> fences = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fences.add(read(rs));
                }
            }
            return fences;
        });
    }

    static Fence read(ResultSet rs) throws SQLException {
        Array subjects = rs.getArray("subjects");
        Set<Long> subjectIds = Arrays.stream((Long[]) subjects.getArray()).collect(Collectors.toUnmodifiableSet());
        int dwell = rs.getInt("dwell_minutes");
        return new Fence(
                rs.getLong("id"),
                rs.getString("name"),
                FenceKind.valueOf(rs.getString("kind")),
                Geometries.fromWkb(rs.getBytes("wkb")),
                zeroIfNull(rs.getDouble("radius_meters"), rs),
                zeroIfNull(rs.getDouble("buffer_meters"), rs),
                rs.getDouble("hysteresis_meters"),
                dwell,
                rs.getInt("max_gap_minutes"),
                subjectIds,
                window(rs),
                categories(rs));
    }

    private static Set<SubjectCategory> categories(ResultSet rs) throws SQLException {
        Set<SubjectCategory> categories = EnumSet.noneOf(SubjectCategory.class);
        for (String name : (String[]) rs.getArray("categories").getArray()) {
            categories.add(SubjectCategory.valueOf(name));
        }
        return categories;
    }

    private static Set<Month> months(ResultSet rs) throws SQLException {
        Set<Month> months = EnumSet.noneOf(Month.class);
        for (Number month : (Number[]) rs.getArray("active_months").getArray()) {
            months.add(Month.of(month.intValue()));
        }
        return months;
    }

    private static double zeroIfNull(double value, ResultSet rs) throws SQLException {
        return rs.wasNull() ? 0 : value;
    }

    private static ActivityWindow window(ResultSet rs) throws SQLException {
        java.sql.Date from = rs.getDate("active_from");
        java.sql.Date until = rs.getDate("active_until");
        Time dailyFrom = rs.getTime("daily_from");
        Time dailyUntil = rs.getTime("daily_until");
        ZoneId zone = ZoneId.of(rs.getString("zone"));
        Set<Month> months = months(rs);
        if (from == null && until == null && dailyFrom == null && dailyUntil == null && months.isEmpty()) {
            return null;
        }
        LocalDate fromDate = from == null ? null : from.toLocalDate();
        LocalDate untilDate = until == null ? null : until.toLocalDate();
        LocalTime fromTime = dailyFrom == null ? null : dailyFrom.toLocalTime();
        LocalTime untilTime = dailyUntil == null ? null : dailyUntil.toLocalTime();
        return new ActivityWindow(fromDate, untilDate, fromTime, untilTime, zone, months);
    }
}
