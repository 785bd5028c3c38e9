package org.geoward.problem;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Answers a request for which its connection was found closed (the database is away) as {@link DatabaseFailureHandler} answers a failed
 * statement: 503 with {@code Retry-After} when a later try may succeed, never a bare 500 with the driver's message.
 */
@Produces(Problem.MEDIA_TYPE)
@Singleton
@Requires(classes = {io.micronaut.data.connection.exceptions.ConnectionException.class, ExceptionHandler.class})
final class ClosedConnectionHandler
        implements ExceptionHandler<
                io.micronaut.data.connection.exceptions.ConnectionException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(
            HttpRequest request, io.micronaut.data.connection.exceptions.ConnectionException exception) {
        return DatabaseFailureHandler.respond(request, exception);
    }
}
