package org.geoward.subject;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Writes an officer's {@link OfficerStatus}, for dispatch, inside the caller's transaction, one statement each; each
 * guard is in the statement, and the row count (or the returned row) says whether it held. Who may change a status
 * when is dispatch's rule; this class only keeps the writes of {@code subject} in its package. Thread-safe.
 */
@Singleton
public class OfficerStatuses {
    private final JdbcOperations jdbc;

    OfficerStatuses(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** An officer as booking needs them: their name, unit and travel mode. */
    public record Booked(long id, String name, String unit, TravelMode travelMode) {}

    /** Sets officer {@code officerId} BUSY if they are AVAILABLE; empty when they were not (or are no officer). */
    public Optional<Booked> book(long officerId) {
        return jdbc.prepareStatement(
                """
                UPDATE subject SET status = 'BUSY' WHERE id = ? AND kind = 'OFFICER' AND status = 'AVAILABLE'
                RETURNING name, unit, travel_mode""",
                ps -> {
                    ps.setLong(1, officerId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        return Optional.of(new Booked(
                                officerId,
                                rs.getString("name"),
                                rs.getString("unit"),
                                TravelMode.parse(rs.getString("travel_mode"))));
                    }
                });
    }

    /** Sets subject {@code officerId}'s status to {@code status}; returns how many rows changed. */
    public int set(long officerId, OfficerStatus status) {
        return jdbc.prepareStatement("UPDATE subject SET status = ? WHERE id = ?", ps -> {
            ps.setString(1, status.name());
            ps.setLong(2, officerId);
            return ps.executeUpdate();
        });
    }

    /** Makes officer {@code officerId} AVAILABLE if they are BUSY (anything else stays); returns 1 if they were. */
    public int free(long officerId) {
        return jdbc.prepareStatement("UPDATE subject SET status = 'AVAILABLE' WHERE id = ? AND status = 'BUSY'", ps -> {
            ps.setLong(1, officerId);
            return ps.executeUpdate();
        });
    }

    /** Makes the officer assigned to alert {@code alertId} AVAILABLE if they are BUSY; returns 1 if they were. */
    public int freeAssignedTo(long alertId) {
        return jdbc.prepareStatement(
                """
                UPDATE subject SET status = 'AVAILABLE'
                WHERE id = (SELECT assigned_officer_id FROM alert WHERE id = ?) AND status = 'BUSY'""",
                ps -> {
                    ps.setLong(1, alertId);
                    return ps.executeUpdate();
                });
    }
}
