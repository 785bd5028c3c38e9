package org.geoward.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The body of every error response (RFC 9457): {@code title} is the HTTP reason, {@code detail} what went wrong,
 * {@code errors} each fault with the field it concerns.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        @Nullable String instance,
        @Nullable List<FieldError> errors) {

    /** One fault: the field (a JSON path, or null for the whole request) and what is wrong with it. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(@Nullable String field, String message) {}

    /** The media type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";
}
