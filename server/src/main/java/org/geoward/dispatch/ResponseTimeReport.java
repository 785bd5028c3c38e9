package org.geoward.dispatch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.geoward.evaluate.AlertType;

/**
 * Computes {@link ResponseTimes} from the alert timeline. An alert counts from its {@code OPENED} event (or {@code
 * opened_at}); acknowledged at its first {@code ACKNOWLEDGED} or {@code ASSIGNED} event, whichever is first; arrived
 * at its first {@code ARRIVED}; resolved at its first {@code RESOLVED} (or {@code resolved_at}). Its unit is its
 * officer's, or the unit its type calls for when nobody was assigned. Thread-safe.
 */
@Singleton
final class ResponseTimeReport {
    private static final String SQL =
            """
            SELECT a.type, o.unit AS officer_unit, a.outcome,
                   coalesce((SELECT min(e.at) FROM alert_event e WHERE e.alert_id = a.id AND e.action = 'OPENED'),
                            a.opened_at) AS opened,
                   (SELECT min(e.at) FROM alert_event e
                    WHERE e.alert_id = a.id AND e.action IN ('ACKNOWLEDGED', 'ASSIGNED')) AS acknowledged,
                   (SELECT min(e.at) FROM alert_event e WHERE e.alert_id = a.id AND e.action = 'ARRIVED') AS arrived,
                   coalesce((SELECT min(e.at) FROM alert_event e WHERE e.alert_id = a.id AND e.action = 'RESOLVED'),
                            a.resolved_at) AS resolved
            FROM alert a LEFT JOIN subject o ON o.id = a.assigned_officer_id
            WHERE a.opened_at >= ? AND a.opened_at < ?""";

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final DispatchSettings settings;

    ResponseTimeReport(JdbcOperations jdbc, TransactionOperations<Connection> transactions, DispatchSettings settings) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
    }

    private record Line(
            String unit,
            AlertType type,
            @Nullable String outcome,
            Instant opened,
            @Nullable Instant acknowledged,
            @Nullable Instant arrived,
            @Nullable Instant resolved) {}

    /** The report for alerts opened in [{@code from}, {@code to}), only of {@code unit} when given. */
    ResponseTimes compute(Instant from, Instant to, @Nullable String unit) {
        List<Line> lines = transactions.executeRead(tx -> jdbc.prepareStatement(SQL, ps -> {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            List<Line> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AlertType type = AlertType.valueOf(rs.getString("type"));
                    String officerUnit = rs.getString("officer_unit");
                    found.add(new Line(
                            officerUnit != null ? officerUnit : settings.unitFor(type),
                            type,
                            rs.getString("outcome"),
                            instant(rs.getTimestamp("opened")),
                            instant(rs.getTimestamp("acknowledged")),
                            instant(rs.getTimestamp("arrived")),
                            instant(rs.getTimestamp("resolved"))));
                }
            }
            return found;
        }));
        Map<String, Map<AlertType, List<Line>>> groups = lines.stream()
                .filter(line -> unit == null || unit.equals(line.unit()))
                .collect(Collectors.groupingBy(
                        Line::unit,
                        TreeMap::new,
                        Collectors.groupingBy(Line::type, TreeMap::new, Collectors.toList())));
        List<ResponseTimes.Row> rows = new ArrayList<>();
        groups.forEach((rowUnit, byType) -> byType.forEach((type, group) -> rows.add(row(rowUnit, type, group))));
        return new ResponseTimes(from, to, unit, rows);
    }

    private static ResponseTimes.Row row(String unit, AlertType type, List<Line> group) {
        Map<String, Integer> outcomes = new TreeMap<>();
        group.stream()
                .filter(line -> line.outcome() != null)
                .forEach(line -> outcomes.merge(line.outcome(), 1, Integer::sum));
        return new ResponseTimes.Row(
                unit,
                type.name(),
                group.size(),
                ResponseTimes.Stat.of(seconds(group, Line::acknowledged)),
                ResponseTimes.Stat.of(seconds(group, Line::arrived)),
                ResponseTimes.Stat.of(seconds(group, Line::resolved)),
                outcomes);
    }

    private static List<Double> seconds(List<Line> group, java.util.function.Function<Line, Instant> step) {
        return group.stream()
                .filter(line -> step.apply(line) != null)
                .map(line -> Duration.between(line.opened(), step.apply(line)).toMillis() / 1000.0)
                .toList();
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** The report as CSV: a header line, then one line per row; outcomes as {@code OUTCOME=count} joined by ';'. */
    static String csv(ResponseTimes report) {
        StringBuilder csv = new StringBuilder(
                "unit,alertType,count,acknowledgeCount,acknowledgeMedianSeconds,acknowledgeP90Seconds,"
                        + "arriveCount,arriveMedianSeconds,arriveP90Seconds,"
                        + "resolveCount,resolveMedianSeconds,resolveP90Seconds,outcomes\r\n");
        for (ResponseTimes.Row row : report.rows()) {
            csv.append(field(row.unit()))
                    .append(',')
                    .append(row.alertType())
                    .append(',')
                    .append(row.count());
            for (ResponseTimes.Stat stat : List.of(row.acknowledge(), row.arrive(), row.resolve())) {
                csv.append(',').append(stat.count());
                csv.append(',').append(stat.medianSeconds() == null ? "" : stat.medianSeconds());
                csv.append(',').append(stat.p90Seconds() == null ? "" : stat.p90Seconds());
            }
            String outcomes = row.outcomes().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(";"));
            csv.append(',').append(field(outcomes)).append("\r\n");
        }
        return csv.toString();
    }

    /** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
    private static String field(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
