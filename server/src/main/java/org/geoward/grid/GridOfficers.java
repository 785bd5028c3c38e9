package org.geoward.grid;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

/**
 * Adds an officer to a grid ({@code grid_officer}) inside the caller's transaction, for a seeder that knows its
 * officers are OFFICER subjects; {@code PUT /api/grids/{id}/officers} replaces a grid's officers with checks instead.
 * Thread-safe.
 */
@Singleton
public class GridOfficers {
    private final JdbcOperations jdbc;

    GridOfficers(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Makes {@code officerId} a GRID officer of grid (fence) {@code gridId} unless they are one; returns the rows added. */
    public int enlist(long gridId, long officerId) {
        return jdbc.prepareStatement(
                "INSERT INTO grid_officer (fence_id, officer_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", ps -> {
                    ps.setLong(1, gridId);
                    ps.setLong(2, officerId);
                    ps.setString(3, OfficerRole.GRID.name());
                    return ps.executeUpdate();
                });
    }
}
