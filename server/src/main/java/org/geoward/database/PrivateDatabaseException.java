package org.geoward.database;

/** The private PostGIS cluster could not be started; the message says what to do about it. */
public final class PrivateDatabaseException extends RuntimeException {
    public PrivateDatabaseException(String message) {
        super(message);
    }

    public PrivateDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
