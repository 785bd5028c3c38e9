package org.geoward.problem;

import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Renders every error Micronaut raises (malformed JSON, unknown route, missing token, failed validation, ...) as an
 * {@code application/problem+json} document instead of Micronaut's default JSON error.
 */
@Singleton
@Primary
@Replaces(ErrorResponseProcessor.class)
final class ProblemResponses implements ErrorResponseProcessor<Problem> {

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        List<Problem.FieldError> errors = context.getErrors().stream()
                .map(e -> new Problem.FieldError(e.getPath().orElse(null), tidy(e.getMessage())))
                .filter(e -> e.field() != null || !isBare(e.message(), status))
                .toList();
        String detail = errors.isEmpty() ? defaultDetail(status) : errors.get(0).message();
        if (status == HttpStatus.BAD_REQUEST && detail != null && detail.startsWith("Failed to convert argument")) {
            detail = "The request body is not valid JSON of the expected shape: " + detail;
        }
        Problem problem = new Problem(
                "about:blank",
                status.getReason(),
                status.getCode(),
                detail,
                context.getRequest().getPath(),
                errors.isEmpty() ? null : errors);
        return response.contentType(Problem.MEDIA_TYPE).body(problem);
    }

    /** Jackson's parse errors name an internal source; keep the line and column a person can use. */
    static String tidy(String message) {
        if (message == null) {
            return null;
        }
        return message.replaceAll("\\s*at \\[Source: [^;]*; line: (\\d+), column: (\\d+)]", " (line $1, column $2)");
    }

    /** A message that only repeats the status ("Unauthorized", "Page Not Found") says nothing a person can use. */
    private static boolean isBare(String message, HttpStatus status) {
        return message == null
                || message.equalsIgnoreCase(status.getReason())
                || message.equals("Page Not Found")
                || message.equals("Forbidden");
    }

    private static String defaultDetail(HttpStatus status) {
        return switch (status) {
            case UNAUTHORIZED -> "Log in first: send the access token from POST /login as 'Authorization: Bearer ...'";
            case FORBIDDEN -> "Your role may not do this";
            case NOT_FOUND -> "No such resource";
            default -> status.getReason();
        };
    }
}
