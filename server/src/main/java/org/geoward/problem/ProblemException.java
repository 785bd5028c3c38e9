package org.geoward.problem;

import io.micronaut.http.HttpStatus;

/**
 * A request Geoward refuses, with the reason and, for validation, the field at fault. Thrown by services and
 * controllers; rendered as {@code application/problem+json} by {@link ProblemExceptionHandler}.
 */
public class ProblemException extends RuntimeException {
    private final HttpStatus status;
    private final String field;
    private Integer retryAfterSeconds;

    public ProblemException(HttpStatus status, String detail) {
        this(status, detail, null);
    }

    public ProblemException(HttpStatus status, String detail, String field) {
        super(detail);
        this.status = status;
        this.field = field;
    }

    public static ProblemException badRequest(String field, String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, detail, field);
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(HttpStatus.NOT_FOUND, what + " " + id + " does not exist");
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(HttpStatus.CONFLICT, detail);
    }

    /** A 503 that tells the client to send the same request again after {@code seconds} ({@code Retry-After}). */
    public static ProblemException busy(String detail, int seconds) {
        ProblemException e = new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, detail);
        e.retryAfterSeconds = seconds;
        return e;
    }

    /** A 429: the caller asked too often; the same request may succeed after {@code seconds} ({@code Retry-After}). */
    public static ProblemException tooMany(String detail, int seconds) {
        ProblemException e = new ProblemException(HttpStatus.TOO_MANY_REQUESTS, detail);
        e.retryAfterSeconds = seconds;
        return e;
    }

    /** Seconds after which the same request may succeed, or null when it will not by waiting. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public HttpStatus status() {
        return status;
    }

    /** The field at fault (a JSON path such as {@code geometry.coordinates[0][3]}), or null. */
    public String field() {
        return field;
    }
}
