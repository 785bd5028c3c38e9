package org.geoward.alert;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.reader.TokenReader;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Reads the bearer token from {@code ?access_token=} on the alert stream only: a browser's {@code EventSource}
 * cannot set an Authorization header. Other paths keep to the header, so tokens stay out of ordinary URLs and logs.
 */
@Singleton
final class AccessTokenQueryReader implements TokenReader<HttpRequest<?>> {
    static final String STREAM_PATH = "/api/alerts/stream";

    @Override
    public Optional<String> findToken(HttpRequest<?> request) {
        if (!STREAM_PATH.equals(request.getPath())) {
            return Optional.empty();
        }
        return request.getParameters().getFirst("access_token").filter(t -> !t.isBlank());
    }

    @Override
    public int getOrder() {
        return 100;
    }
}
