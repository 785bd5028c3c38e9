package org.geoward.problem;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.transaction.exceptions.TransactionException;
import jakarta.inject.Singleton;

/**
 * Answers a transaction that could not even begin (the database went away: the pool's connection is closed, or none
 * could be had in time) as {@link DatabaseFailureHandler} answers a failed statement: 503 with {@code Retry-After}
 * when a later try may succeed, never a bare 500 with the driver's message.
 */
@Produces(Problem.MEDIA_TYPE)
@Singleton
@Requires(classes = {TransactionException.class, ExceptionHandler.class})
final class TransactionFailureHandler implements ExceptionHandler<TransactionException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, TransactionException exception) {
        return DatabaseFailureHandler.respond(request, exception);
    }
}
