package org.geoward.dispatch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.geoward.problem.ProblemException;
import org.geoward.subject.OfficerStatus;
import org.geoward.subject.OfficerStatuses;
import org.geoward.subject.TravelMode;

/**
 * Reads officers with their last fix, and changes an officer's status (the write is {@link OfficerStatuses}'s).
 * Thread-safe.
 */
@Singleton
final class OfficerRepository {
    private static final String SELECT =
            """
            SELECT s.id, s.name, s.unit, s.status, s.travel_mode, ST_X(p.pos::geometry) AS lon,
                   ST_Y(p.pos::geometry) AS lat, p.time, extract(epoch FROM now() - p.time) AS age,
                   (SELECT a.id FROM alert a WHERE a.assigned_officer_id = s.id AND a.status <> 'RESOLVED'
                    ORDER BY a.id LIMIT 1) AS alert
            FROM subject s LEFT JOIN subject_position p ON p.subject_id = s.id
            WHERE s.kind = 'OFFICER'""";

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final DispatchSettings settings;
    private final OfficerStatuses officers;

    OfficerRepository(
            JdbcOperations jdbc,
            TransactionOperations<Connection> transactions,
            DispatchSettings settings,
            OfficerStatuses officers) {
        this.jdbc = jdbc;
        this.officers = officers;
        this.transactions = transactions;
        this.settings = settings;
    }

    /** The officers, optionally only of {@code unit} and {@code status}, by id. */
    List<Officer> list(@Nullable String unit, @Nullable OfficerStatus status) {
        return transactions.executeRead(tx -> jdbc.prepareStatement(
                SELECT + " AND (?::text IS NULL OR s.unit = ?) AND (?::text IS NULL OR s.status = ?) ORDER BY s.id",
                ps -> {
                    String statusName = status == null ? null : status.name();
                    ps.setString(1, unit);
                    ps.setString(2, unit);
                    ps.setString(3, statusName);
                    ps.setString(4, statusName);
                    List<Officer> officers = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            officers.add(read(rs));
                        }
                    }
                    return officers;
                }));
    }

    Optional<Officer> find(long id) {
        return transactions.executeRead(tx -> jdbc.prepareStatement(SELECT + " AND s.id = ?", ps -> {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.<Officer>empty();
            }
        }));
    }

    /**
     * Sets officer {@code id}'s status. 409 when an unresolved alert is assigned to them and the new status is not
     * BUSY: the alert must be resolved (which frees them) first. The officer row is locked before the check, so a
     * concurrent assignment is seen.
     */
    Officer setStatus(long id, OfficerStatus status) {
        transactions.executeWrite(tx -> {
            Optional<Long> alert = jdbc.prepareStatement(
                    """
                    SELECT (SELECT a.id FROM alert a WHERE a.assigned_officer_id = s.id AND a.status <> 'RESOLVED'
                            LIMIT 1)
                    FROM subject s WHERE s.id = ? AND s.kind = 'OFFICER' FOR UPDATE""",
                    ps -> {
                        ps.setLong(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                throw ProblemException.notFound("Officer", id);
                            }
                            long alertId = rs.getLong(1);
                            return rs.wasNull() ? Optional.<Long>empty() : Optional.of(alertId);
                        }
                    });
            if (alert.isPresent() && status != OfficerStatus.BUSY) {
                throw ProblemException.conflict("Officer " + id + " is assigned to alert " + alert.get()
                        + "; they stay BUSY until it is resolved");
            }
            return officers.set(id, status);
        });
        return find(id).orElseThrow(() -> ProblemException.notFound("Officer", id));
    }

    private Officer read(ResultSet rs) throws SQLException {
        double lon = rs.getDouble("lon");
        boolean hasFix = !rs.wasNull();
        Timestamp time = rs.getTimestamp("time");
        Long age = hasFix ? Math.max(0, Math.round(rs.getDouble("age"))) : null;
        long alert = rs.getLong("alert");
        String alertId = rs.wasNull() ? null : Long.toString(alert);
        return new Officer(
                Long.toString(rs.getLong("id")),
                rs.getString("name"),
                rs.getString("unit"),
                rs.getString("status"),
                TravelMode.parse(rs.getString("travel_mode")).name(),
                hasFix ? Officer.Point.of(lon, rs.getDouble("lat")) : null,
                time == null ? null : time.toInstant(),
                age,
                age == null || age > settings.staleMinutes() * 60L,
                alertId);
    }
}
