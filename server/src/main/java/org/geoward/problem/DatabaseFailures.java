package org.geoward.problem;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells database failures that are worth trying again from those that are not, by the SQLSTATE PostgreSQL gives
 * anywhere in an exception's causes: a deadlock or serialization failure (the transaction was rolled back whole), a
 * lock or statement that timed out, a server shutting down or a connection lost.
 */
public final class DatabaseFailures {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseFailures.class);

    /** The transaction was rolled back whole by PostgreSQL and running it again may well succeed. */
    private static final Set<String> ROLLED_BACK = Set.of("40001", "40P01");

    /** Nothing of the request was done and a later try may succeed: the above, lock / statement timeouts, shutdowns. */
    private static final Set<String> TRANSIENT = Stream.concat(
                    ROLLED_BACK.stream(), Stream.of("55P03", "57014", "57P01", "57P02", "57P03"))
            .collect(Collectors.toUnmodifiableSet());

    private DatabaseFailures() {}

    /** Tells whether PostgreSQL rolled the transaction back for a deadlock or a serialization failure. */
    public static boolean isRolledBackConflict(Throwable failure) {
        String state = sqlState(failure);
        return state != null && ROLLED_BACK.contains(state);
    }

    /**
     * Tells whether a later try of the same request may succeed (conflict, timeout, shutdown, lost connection, the
     * database out of disk, memory or connections).
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || isConnectionFailure(t)) {
                return true;
            }
        }
        String state = sqlState(failure);
        // class 08: the connection failed; class 53: insufficient resources (disk full, out of memory, too many
        // connections), gone once an operator frees them
        return state != null && (TRANSIENT.contains(state) || state.startsWith("08") || state.startsWith("53"));
    }

    /** A connection that could not be had, or was found closed: the database went away, nothing was done. */
    private static boolean isConnectionFailure(Throwable t) {
        return t instanceof io.micronaut.data.connection.exceptions.ConnectionException
                || t instanceof io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException
                || t instanceof io.micronaut.transaction.jdbc.exceptions.CannotGetJdbcConnectionException;
    }

    /** Tells whether PostgreSQL refused {@code failure}'s statement for a duplicate key (SQLSTATE 23505). */
    public static boolean isUniqueViolation(Throwable failure) {
        return "23505".equals(sqlState(failure));
    }

    /** The first SQLSTATE among the causes of {@code failure}, or null. */
    static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /**
     * Runs {@code transaction} up to {@code attempts} times while PostgreSQL rolls it back for a deadlock or a
     * serialization failure, pausing 10-60 ms (more each time) in between; any other failure, or the last, is thrown.
     */
    public static <T> T retryingConflicts(int attempts, String what, Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt >= attempts || !isRolledBackConflict(e)) {
                    throw e;
                }
                LOG.info(
                        "{}: rolled back by the database ({}), trying again ({} of {})",
                        what,
                        sqlState(e),
                        attempt + 1,
                        attempts);
                try {
                    Thread.sleep(attempt * 10L + (long) (Math.random() * 50));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
