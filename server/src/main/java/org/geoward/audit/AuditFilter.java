package org.geoward.audit;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import io.micronaut.web.router.UriRouteMatch;
import jakarta.inject.Named;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.geoward.problem.Problem;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Records every authenticated {@code /api/**} request in the audit trail once it has been answered: who (user and
 * role), what (method, route template, path and query, the subject and alert concerned), why (the
 * {@code X-Geoward-Purpose} header or a {@code purpose} query parameter; for an alert's routes the alert itself) and
 * the status answered. Endpoints marked {@link NotAudited} are left out. The row is written before the response
 * leaves: when it cannot be written, the caller gets 503 instead of the data, so nothing is seen unrecorded.
 * Requests refused before routing (no token, wrong role) never reached the data and are not recorded. Thread-safe.
 */
@Filter("/api/**")
final class AuditFilter implements HttpServerFilter {
    /** The request header that says why the caller looks, e.g. {@code alert 17}. */
    static final String PURPOSE_HEADER = "X-Geoward-Purpose";

    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);
    private static final Pattern CREATED_SUBJECT = Pattern.compile("^/api/subjects/(\\d+)$");
    private static final int MAX_TEXT = 2_000;

    private final AuditLog log;
    private final Scheduler blocking;

    AuditFilter(AuditLog log, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.log = log;
        this.blocking = Schedulers.fromExecutorService(blocking);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        Optional<Authentication> user = request.getUserPrincipal(Authentication.class);
        Optional<RouteMatch<?>> route = RouteAttributes.getRouteMatch(request);
        if (user.isEmpty()
                || route.isEmpty()
                || !(route.get() instanceof UriRouteMatch<?, ?> match)
                || match.getRouteInfo().getAnnotationMetadata().hasAnnotation(NotAudited.class)
                || request.getMethod() == HttpMethod.OPTIONS
                || request.getMethod() == HttpMethod.HEAD) {
            return chain.proceed(request);
        }
        String endpoint = endpoint(match.getRouteInfo().getUriMatchTemplate().toString());
        Map<String, Object> variables = match.getVariableValues();
        return Flux.from(chain.proceed(request)).concatMap(response -> Mono.fromCallable(
                        () -> record(request, response, user.get(), endpoint, variables))
                .subscribeOn(blocking));
    }

    private MutableHttpResponse<?> record(
            HttpRequest<?> request,
            MutableHttpResponse<?> response,
            Authentication user,
            String endpoint,
            Map<String, Object> variables) {
        try {
            log.append(entry(request, response, user, endpoint, variables));
            return response;
        } catch (RuntimeException e) {
            LOG.error(
                    "could not write the audit trail for {} {}: answering 503",
                    request.getMethod(),
                    request.getPath(),
                    e);
            HttpStatus status = HttpStatus.SERVICE_UNAVAILABLE;
            return HttpResponse.status(status)
                    .contentType(Problem.MEDIA_TYPE)
                    .header("Retry-After", "1")
                    .body(new Problem(
                            "about:blank",
                            status.getReason(),
                            status.getCode(),
                            "the audit trail could not record this request, so its answer is withheld: try again",
                            request.getPath(),
                            null));
        }
    }

    private static AuditRecord entry(
            HttpRequest<?> request,
            HttpResponse<?> response,
            Authentication user,
            String endpoint,
            Map<String, Object> variables) {
        Long subjectId = null;
        Long alertId = null;
        Long deviceId = null;
        Long pathId = number(variables.get("id"));
        if (endpoint.startsWith("/api/subjects/{id") || endpoint.startsWith("/api/officers/{id")) {
            subjectId = pathId;
        } else if (endpoint.startsWith("/api/alerts/{id")) {
            alertId = pathId;
        } else if (endpoint.startsWith("/api/devices/{id")) {
            deviceId = pathId;
        }
        if (subjectId == null) {
            subjectId = number(request.getParameters().get("subjectId"));
        }
        if (alertId == null) {
            alertId = number(request.getParameters().get("alertId"));
        }
        if (subjectId == null && request.getMethod() == HttpMethod.POST) {
            String location = response.getHeaders().get("Location");
            Matcher created = location == null ? null : CREATED_SUBJECT.matcher(location);
            if (created != null && created.matches()) {
                subjectId = Long.valueOf(created.group(1));
            }
        }
        String purpose = request.getHeaders().get(PURPOSE_HEADER);
        if (purpose == null || purpose.isBlank()) {
            purpose = request.getParameters().get("purpose");
        }
        if ((purpose == null || purpose.isBlank()) && alertId != null) {
            purpose = "alert " + alertId;
        }
        String query = withoutTokens(request.getUri().getRawQuery());
        return new AuditRecord(
                user.getName(),
                String.join(",", user.getRoles()),
                request.getMethod() == HttpMethod.GET ? AuditAction.READ : AuditAction.CHANGE,
                request.getMethodName(),
                endpoint,
                clip(request.getPath()),
                clip(query),
                subjectId,
                alertId,
                deviceId,
                purpose == null || purpose.isBlank() ? null : clip(purpose.trim()),
                response.getStatus().getCode());
    }

    /** A route template's query part, {@code {?x,y}} or {@code {&x}}: compiled once, not per request. */
    private static final Pattern QUERY_PART = Pattern.compile("\\{[?&][^}]*}");
    /** A route variable with a pattern, {@code {id:[0-9]+}}. */
    private static final Pattern VARIABLE_PATTERN = Pattern.compile("\\{(\\w+):[^}]*}");

    /**
     * The route template as the API document writes it: without its query part and without the patterns of its
     * variables ({@code /api/alerts/{id:[0-9]+}.cap{?x}} → {@code /api/alerts/{id}.cap}).
     */
    static String endpoint(String template) {
        return VARIABLE_PATTERN
                .matcher(QUERY_PART.matcher(template).replaceAll(""))
                .replaceAll("{$1}");
    }

    /** The query string without an {@code access_token} parameter (the SSE stream's), never to be recorded. */
    static String withoutTokens(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        StringBuilder kept = new StringBuilder();
        for (String part : rawQuery.split("&")) {
            if (!part.startsWith("access_token=") && !part.equals("access_token")) {
                kept.append(kept.length() == 0 ? "" : "&").append(part);
            }
        }
        return kept.length() == 0 ? null : kept.toString();
    }

    private static Long number(Object value) {
        if (value == null) {
            return null;
        }
        try {
            long n = Long.parseLong(value.toString().trim());
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String clip(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }
}
