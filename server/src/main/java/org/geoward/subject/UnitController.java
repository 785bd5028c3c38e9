package org.geoward.subject;

import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code GET /api/units}: the officer units of this deployment ({@code geoward.units}) and any other unit an officer
 * still has, each with how many officers are AVAILABLE, BUSY and OFF_DUTY. Staff only.
 */
@Controller("/api/units")
@Secured({"ADMIN", "DISPATCHER", "OFFICER"})
final class UnitController {
    private final List<String> configured;
    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;

    UnitController(
            @Value("${geoward.units:POLICE,FISHERIES}") List<String> configured,
            JdbcOperations jdbc,
            TransactionOperations<Connection> tx) {
        this.configured =
                configured.stream().map(String::trim).filter(u -> !u.isEmpty()).toList();
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** One unit: whether it is configured, and its officers by status ({@code noStatus}: none set, so never offered). */
    @Serdeable
    record UnitInfo(
            String name, boolean configured, long officers, long available, long busy, long offDuty, long noStatus) {}

    @Get
    List<UnitInfo> list() {
        Map<String, long[]> counts = tx.executeRead(s -> jdbc.prepareStatement(
                """
                SELECT unit, count(*), count(*) FILTER (WHERE status = 'AVAILABLE'),
                       count(*) FILTER (WHERE status = 'BUSY'), count(*) FILTER (WHERE status = 'OFF_DUTY'),
                       count(*) FILTER (WHERE status IS NULL)
                FROM subject WHERE kind = 'OFFICER' AND unit IS NOT NULL GROUP BY unit""",
                ps -> {
                    Map<String, long[]> found = new LinkedHashMap<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.put(rs.getString(1), new long[] {
                                rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)
                            });
                        }
                    }
                    return found;
                }));
        List<UnitInfo> units = new ArrayList<>();
        for (String name : configured) {
            long[] c = counts.getOrDefault(name, new long[5]);
            units.add(new UnitInfo(name, true, c[0], c[1], c[2], c[3], c[4]));
        }
        for (String name : new TreeSet<>(counts.keySet())) {
            if (!configured.contains(name)) {
                long[] c = counts.get(name);
                units.add(new UnitInfo(name, false, c[0], c[1], c[2], c[3], c[4]));
            }
        }
        return units;
    }
}
