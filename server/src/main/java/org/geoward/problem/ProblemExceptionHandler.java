package org.geoward.problem;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;

/** Turns a {@link ProblemException} into its problem document. */
@Produces(Problem.MEDIA_TYPE)
@Singleton
@Requires(classes = {ProblemException.class, ExceptionHandler.class})
final class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ProblemException exception) {
        List<Problem.FieldError> errors = exception.field() == null
                ? null
                : List.of(new Problem.FieldError(exception.field(), exception.getMessage()));
        Problem problem = new Problem(
                "about:blank",
                exception.status().getReason(),
                exception.status().getCode(),
                exception.getMessage(),
                request.getPath(),
                errors);
        var response = HttpResponse.<Problem>status(exception.status())
                .contentType(Problem.MEDIA_TYPE)
                .body(problem);
        if (exception.retryAfterSeconds() != null) {
            response.header("Retry-After", Integer.toString(exception.retryAfterSeconds()));
        }
        return response;
    }
}
