package org.geoward.problem;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed database call into a problem document that says what the client can do: 503 with
 * {@code Retry-After} when a later try may succeed (a deadlock, a timeout, the database restarting: the transaction
 * was rolled back, so nothing of the request was kept), else 500 with a reference to the logged error. The SQL and
 * PostgreSQL's message stay in the log, never in the response.
 */
@Produces(Problem.MEDIA_TYPE)
@Singleton
@Requires(classes = {DataAccessException.class, ExceptionHandler.class})
final class DatabaseFailureHandler implements ExceptionHandler<DataAccessException, HttpResponse<Problem>> {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseFailureHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, DataAccessException exception) {
        return respond(request, exception);
    }

    /** The answer to any failed database call, also one that failed before its transaction began. */
    static HttpResponse<Problem> respond(HttpRequest<?> request, RuntimeException exception) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        HttpStatus status;
        String detail;
        if (DatabaseFailures.isTransient(exception)) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
            detail = "The database could not finish this request just now (SQLSTATE "
                    + DatabaseFailures.sqlState(exception) + ") and nothing of it was kept: send it again in a moment"
                    + " (reference " + reference + ").";
            LOG.warn(
                    "{} {}: transient database failure, reference {}",
                    request.getMethod(),
                    request.getPath(),
                    reference,
                    exception);
        } else {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            detail =
                    "The server failed to complete this request; the error is logged with reference " + reference + ".";
            LOG.error(
                    "{} {}: database failure, reference {}",
                    request.getMethod(),
                    request.getPath(),
                    reference,
                    exception);
        }
        Problem problem =
                new Problem("about:blank", status.getReason(), status.getCode(), detail, request.getPath(), null);
        var response = HttpResponse.<Problem>status(status)
                .contentType(Problem.MEDIA_TYPE)
                .body(problem);
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            response.header("Retry-After", "1");
        }
        return response;
    }
}
