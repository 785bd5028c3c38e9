package org.geoward.bench.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Reads PostgreSQL's cumulative counters for the target's database: committed transactions and inserted rows
 * (pg_stat_database; also updated rows), WAL bytes and WAL syncs (pg_stat_wal, PostgreSQL 14+). Two samples give the work per fix that
 * the server asked of its database, e.g. how many commits and WAL flushes each fix cost. Backends publish these
 * counters about once a second, so a difference over a short phase is off by up to a second's worth.
 */
final class DatabaseActivity {
    /** One sample; -1 for what could not be read. */
    record Sample(long commits, long inserted, long walBytes, long walSyncs, long updated) {}

    private final String url;
    private final Properties props = new Properties();

    DatabaseActivity(String url, String user, String password) {
        this.url = url;
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
    }

    Sample sample() {
        try (Connection c = DriverManager.getConnection(url, props);
                Statement st = c.createStatement()) {
            long commits;
            long inserted;
            long updated;
            try (ResultSet rs = st.executeQuery("SELECT xact_commit, tup_inserted, tup_updated FROM pg_stat_database"
                    + " WHERE datname = current_database()")) {
                rs.next();
                commits = rs.getLong(1);
                inserted = rs.getLong(2);
                updated = rs.getLong(3);
            }
            long walBytes = -1;
            long walSyncs = -1;
            try (ResultSet rs = st.executeQuery("SELECT wal_bytes, wal_sync FROM pg_stat_wal")) {
                if (rs.next()) {
                    walBytes = rs.getLong(1);
                    walSyncs = rs.getLong(2);
                }
            } catch (SQLException olderThan14) {
                // no pg_stat_wal
            }
            return new Sample(commits, inserted, walBytes, walSyncs, updated);
        } catch (SQLException e) {
            return new Sample(-1, -1, -1, -1, -1);
        }
    }

    /** {@code (after - before) / fixes}, or NaN when a sample is missing. */
    static double perFix(long before, long after, long fixes) {
        return before < 0 || after < 0 || fixes <= 0 ? Double.NaN : (double) (after - before) / fixes;
    }
}
