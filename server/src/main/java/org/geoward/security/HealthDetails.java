package org.geoward.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.security.authentication.Authentication;
import java.util.Map;

/**
 * Keeps {@code /health} to {@code {"status": "UP"}} (or DOWN) for everyone but an ADMIN: the details (JDBC URL,
 * PostgreSQL version, disk space) help an attacker and are of use only to whoever runs the server. The status code
 * (200 or 503) is left as the health endpoint set it.
 */
@ServerFilter({"/health", "/health/**"})
final class HealthDetails {

    @ResponseFilter
    @SuppressWarnings("unchecked")
    void hideDetails(HttpRequest<?> request, MutableHttpResponse<?> response) {
        boolean admin = request.getUserPrincipal(Authentication.class)
                .map(a -> a.getRoles().contains(Role.ADMIN.name()))
                .orElse(false);
        if (admin) {
            return;
        }
        Object body = response.getBody().orElse(null);
        if (body instanceof HealthResult result) {
            ((MutableHttpResponse<Object>) response)
                    .body(Map.of("status", result.getStatus().getName()));
        }
    }
}
