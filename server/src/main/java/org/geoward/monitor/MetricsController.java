package org.geoward.monitor;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.geoward.problem.ProblemException;
import org.geoward.security.Role;

/**
 * Serves every meter in the Prometheus text format. Not public: the caller needs an ADMIN access token, or the scrape
 * token configured as {@code geoward.metrics.token} ({@code GEOWARD_METRICS_TOKEN}), sent as {@code Authorization:
 * Bearer <token>}. Without either the answer is 401, with another role's token 403.
 */
@Controller("/metrics")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "Operations")
final class MetricsController {
    /** The content type of Prometheus' text exposition format 0.0.4. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final byte[] scrapeToken;

    MetricsController(PrometheusMeterRegistry registry, @Value("${geoward.metrics.token:}") String scrapeToken) {
        this.registry = registry;
        this.scrapeToken = scrapeToken.isBlank() ? null : scrapeToken.trim().getBytes(StandardCharsets.UTF_8);
    }

    @Get
    @Operation(summary = "Prometheus metrics (ADMIN token or the configured scrape token)")
    HttpResponse<String> scrape(
            @Nullable Authentication authentication, @Nullable @Header(HttpHeaders.AUTHORIZATION) String header) {
        if (authentication == null && !isScrapeToken(header)) {
            throw new ProblemException(
                    HttpStatus.UNAUTHORIZED,
                    "metrics need an ADMIN access token or the scrape token (geoward.metrics.token) as 'Authorization:"
                            + " Bearer ...'");
        }
        if (authentication != null && !authentication.getRoles().contains(Role.ADMIN.name())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "metrics are for ADMIN accounts and the scrape token");
        }
        return HttpResponse.ok(registry.scrape()).header(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT);
    }

    private boolean isScrapeToken(@Nullable String header) {
        if (scrapeToken == null || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] sent = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(sent, scrapeToken);
    }
}
