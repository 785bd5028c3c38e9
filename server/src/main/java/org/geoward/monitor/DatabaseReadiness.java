package org.geoward.monitor;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.geoward.readiness.ReadinessCheck;

/** Ready when a pooled connection answers {@code isValid} within a second. */
@Singleton
final class DatabaseReadiness implements ReadinessCheck {
    private final DataSource dataSource;

    DatabaseReadiness(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public Optional<String> waitingFor() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1) ? Optional.empty() : Optional.of("the database does not answer");
        } catch (SQLException e) {
            return Optional.of("no database connection");
        }
    }
}
