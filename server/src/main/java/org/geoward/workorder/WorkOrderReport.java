package org.geoward.workorder;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import io.swagger.v3.oas.annotations.Operation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.geoward.clock.QueryTimes;
import org.geoward.problem.ProblemException;

/**
 * {@code GET /api/reports/work-orders?from=&to=}: the work orders opened in [from, to) (default the last 30 days) per
 * grid and unit: how many, how many resolved, deadlines met and missed (a missed one is resolved late or still open
 * past its deadline), the median and p90 seconds from opening to resolution, and the mean rating.
 */
@Controller("/api/reports/work-orders")
@Secured({"ADMIN", "DISPATCHER"})
final class WorkOrderReport {
    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;

    WorkOrderReport(JdbcOperations jdbc, TransactionOperations<Connection> tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Row(
            @Nullable String gridId,
            @Nullable String gridName,
            @Nullable String unit,
            long count,
            long resolved,
            long deadlineMet,
            long deadlineMissed,
            @Nullable Double medianResolveSeconds,
            @Nullable Double p90ResolveSeconds,
            @Nullable Double meanRating) {}

    @Serdeable
    record Report(Instant from, Instant to, List<Row> rows) {}

    @Get
    @Operation(summary = "Work orders per grid and unit: counts, deadlines met, resolve times, ratings")
    Report report(@Nullable @QueryValue String from, @Nullable @QueryValue String to) {
        Instant until = QueryTimes.parse("to", to, Instant.now());
        Instant since = QueryTimes.parse("from", from, until.minus(Duration.ofDays(30)));
        if (!since.isBefore(until)) {
            throw ProblemException.badRequest("from", "from must be before to");
        }
        String sql = "SELECT grid_id, grid_name, unit, count(*) AS n,"
                + " count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved,"
                + " count(*) FILTER (WHERE resolved_at <= deadline) AS met,"
                + " count(*) FILTER (WHERE resolved_at > deadline OR (resolved_at IS NULL AND now() > deadline)) AS missed,"
                + " percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at)) AS median,"
                + " percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at)) AS p90,"
                + " avg(rating)::float8 AS rating"
                + " FROM (" + WorkOrderRepository.SELECT + " WHERE a.opened_at >= ? AND a.opened_at < ?) x"
                + " GROUP BY grid_id, grid_name, unit ORDER BY grid_name NULLS LAST, unit NULLS LAST";
        List<Row> rows = tx.executeRead(s -> jdbc.prepareStatement(sql, ps -> {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setTimestamp(2, Timestamp.from(until));
            List<Row> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long grid = rs.getLong("grid_id");
                    String gridId = rs.wasNull() ? null : Long.toString(grid);
                    found.add(new Row(
                            gridId,
                            rs.getString("grid_name"),
                            rs.getString("unit"),
                            rs.getLong("n"),
                            rs.getLong("resolved"),
                            rs.getLong("met"),
                            rs.getLong("missed"),
                            (Double) rs.getObject("median"),
                            (Double) rs.getObject("p90"),
                            (Double) rs.getObject("rating")));
                }
            }
            return found;
        }));
        return new Report(since, until, rows);
    }
}
