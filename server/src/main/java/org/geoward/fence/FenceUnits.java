package org.geoward.fence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import org.geoward.subject.UnitReferences;

/**
 * The unit a fence names in its properties (a GRID fence's {@code unit}, the officers who answer for the grid),
 * renamed with the unit inside the caller's transaction. Thread-safe.
 */
@Singleton
class FenceUnits implements UnitReferences {
    private final JdbcOperations jdbc;

    FenceUnits(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void renameUnit(String from, String to) {
        jdbc.prepareStatement(
                """
                UPDATE fence SET properties = jsonb_set(properties, '{unit}', to_jsonb(?::text)), updated_at = now()
                WHERE properties->>'unit' = ?""",
                ps -> {
                    ps.setString(1, to);
                    ps.setString(2, from);
                    return ps.executeUpdate();
                });
    }
}
