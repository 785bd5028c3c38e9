package org.geoward.bench.load;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.postgresql.PGConnection;

/**
 * The baseline: batches COPYed straight into {@code sighting} over JDBC, one connection per sender, each batch in its
 * own transaction as the server's group append does it (log positions from {@code sighting_seq_seq}, then a binary
 * COPY, then the commit). Each connection is used by one thread at a time.
 */
final class CopyLoader implements AutoCloseable {
    private final List<Connection> connections = new ArrayList<>();

    CopyLoader(String url, String user, String password, int count) {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        try {
            for (int i = 0; i < count; i++) {
                Connection c = DriverManager.getConnection(url, props);
                c.setAutoCommit(false);
                connections.add(c);
            }
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("connecting to " + url + " for the COPY failed: " + e.getMessage(), e);
        }
    }

    /** COPYs {@code batches} over connection {@code index}, one transaction each; returns the rows committed. */
    long copy(int index, List<JsonBatch> batches) {
        Connection c = connections.get(index);
        long rows = 0;
        try (PreparedStatement seqs =
                c.prepareStatement("SELECT nextval('sighting_seq_seq') FROM generate_series(1, ?)")) {
            for (JsonBatch b : batches) {
                long[] seq = new long[b.size()];
                seqs.setInt(1, b.size());
                try (ResultSet rs = seqs.executeQuery()) {
                    for (int i = 0; i < seq.length && rs.next(); i++) {
                        seq[i] = rs.getLong(1);
                    }
                }
                rows += c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(
                                "COPY sighting (" + JsonBatch.COPY_COLUMNS + ") FROM STDIN (FORMAT binary)",
                                new ByteArrayInputStream(b.copyRows(seq)));
                c.commit();
                b.countStored();
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("COPY into sighting failed: " + e.getMessage(), e);
        }
        return rows;
    }

    @Override
    public void close() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        connections.clear();
    }
}
