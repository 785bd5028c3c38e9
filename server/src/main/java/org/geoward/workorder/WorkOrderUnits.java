package org.geoward.workorder;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import org.geoward.subject.UnitReferences;

/** The unit work orders were ordered to, renamed with the unit inside the caller's transaction. Thread-safe. */
@Singleton
class WorkOrderUnits implements UnitReferences {
    private final JdbcOperations jdbc;

    WorkOrderUnits(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void renameUnit(String from, String to) {
        jdbc.prepareStatement("UPDATE work_order SET unit = ? WHERE unit = ?", ps -> {
            ps.setString(1, to);
            ps.setString(2, from);
            return ps.executeUpdate();
        });
    }
}
