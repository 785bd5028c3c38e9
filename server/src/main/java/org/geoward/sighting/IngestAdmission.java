package org.geoward.sighting;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.geoward.problem.Problem;
import org.geoward.problem.SettingsException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * Sheds an overload of the HTTP ingest doors ({@code POST /api/sightings}, {@code /ingest/**}) before it queues. A
 * request that finds {@code geoward.ingest.max-requests-in-flight} (default 64) ingest requests already admitted and
 * not yet answered is answered at once, on the network thread, with 503, {@code Retry-After: 1} and a problem
 * document; nothing of it is stored. Without this, blocking requests wait in the I/O executor's unbounded queue: an
 * offer at three times the sustainable rate made answers take 20-30 s, threw away work whose senders had given up,
 * and served less than the sustainable rate. With it the executor's threads stay busy, the queue stays short, and
 * reads and the console keep answering. The count is released however the request ends (answer, error, cancel).
 */
@Filter(
        value = {"/api/sightings", "/ingest/**"},
        methods = HttpMethod.POST)
final class IngestAdmission implements HttpServerFilter {
    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong shed = new AtomicLong();

    IngestAdmission(@Value("${geoward.ingest.max-requests-in-flight:64}") int limit) {
        if (limit < 1) {
            throw new SettingsException("geoward.ingest.max-requests-in-flight must be at least 1, not " + limit);
        }
        this.limit = limit;
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            shed.incrementAndGet();
            return Publishers.just(busy(request));
        }
        return Flux.from(chain.proceed(request)).doFinally(signal -> inFlight.decrementAndGet());
    }

    /** Ingest requests being handled now. */
    int inFlight() {
        return inFlight.get();
    }

    /** Requests answered 503 since start. */
    long shed() {
        return shed.get();
    }

    private MutableHttpResponse<?> busy(HttpRequest<?> request) {
        HttpStatus status = HttpStatus.SERVICE_UNAVAILABLE;
        Problem problem = new Problem(
                "about:blank",
                status.getReason(),
                status.getCode(),
                "busy: " + limit + " ingest requests are being handled; nothing of this one was stored: send it again"
                        + " after Retry-After",
                request.getPath(),
                null);
        return HttpResponse.status(status)
                .contentType(Problem.MEDIA_TYPE)
                .header("Retry-After", "1")
                .body(problem);
    }
}
