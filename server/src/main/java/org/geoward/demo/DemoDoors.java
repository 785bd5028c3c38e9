package org.geoward.demo;

import io.micronaut.json.JsonMapper;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.geoward.demo.DemoCity.Pt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public doors the demo driver goes through, as a device, an officer's app or a citizen would: JSON {@code POST}s
 * to the running server with a signed token (or a device's own Basic credentials) and OsmAnd reports to the OsmAnd
 * listener. A failed request is a warning (at most one every 5 s), never an exception. Used by the simulator thread
 * only.
 */
final class DemoDoors {
    private static final Logger LOG = LoggerFactory.getLogger(DemoDoors.class);

    private final String base;
    private final String osmandBase;
    private final TokenGenerator tokens;
    private final JsonMapper json;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong sent;
    private String simToken;
    private long simTokenAt;
    private long lastWarning;

    /** Doors of the server at {@code base}; {@code osmandBase} is null when no OsmAnd listener runs. */
    DemoDoors(String base, String osmandBase, TokenGenerator tokens, JsonMapper json, AtomicLong sent) {
        this.base = base;
        this.osmandBase = osmandBase;
        this.tokens = tokens;
        this.json = json;
        this.sent = sent;
    }

    /** Whether position reports can go through the OsmAnd listener. */
    boolean hasOsmand() {
        return osmandBase != null;
    }

    /** The simulator's own dispatcher token (fuling.simulator), renewed every 30 minutes. */
    String simToken() {
        if (simToken == null
                || System.nanoTime() - simTokenAt > Duration.ofMinutes(30).toNanos()) {
            simToken = token(Authentication.build("fuling.simulator", List.of("DISPATCHER"), Map.of()));
            simTokenAt = System.nanoTime();
        }
        return simToken;
    }

    /** The token of a simulated officer's app (fuling.sim-police-01, ...). */
    String officerToken(String key, long subjectId) {
        return token(Authentication.build("fuling.sim-" + key, List.of("OFFICER"), Map.of("subjectId", subjectId)));
    }

    private String token(Authentication authentication) {
        return tokens.generateToken(authentication, 3600)
                .orElseThrow(() -> new IllegalStateException("cannot sign a token for the demo simulator"));
    }

    /** POSTs {@code body} with the bearer {@code token}; whether it was accepted. */
    boolean post(String path, Object body, String token) {
        return send(path, body, "Bearer " + token) != null;
    }

    /** POSTs {@code body} as JSON with the {@code authorization} header; the answer's body, or null after a warning. */
    String send(String path, Object body, String authorization) {
        try {
            byte[] bytes = body == null ? new byte[0] : json.writeValueAsBytes(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                warn("POST " + path + " answered " + response.statusCode() + ": " + response.body());
                return null;
            }
            if (path.equals("/api/sightings") && response.body().contains("\"rejected\":[{")) {
                warn("some demo sightings were rejected: " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            warn("POST " + path + " failed: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Reads a JSON answer as a map, or null after a warning. */
    Map<?, ?> read(String answer, String what) {
        try {
            return json.readValue(answer, Map.class);
        } catch (IOException e) {
            warn(what + " is not JSON: " + answer);
            return null;
        }
    }

    /** Sends one OsmAnd report of {@code deviceId} (with its token) at {@code t}, {@code p}, {@code kmh}. */
    void osmand(String deviceId, String token, Instant t, Pt p, double kmh) {
        String query = "?id=" + deviceId + "&timestamp=" + t.getEpochSecond() + "&lat=" + p.lat() + "&lon=" + p.lon()
                + "&speed=" + Math.round(kmh / 1.852 * 10) / 10.0 + "&accuracy=8&batt=80&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(osmandBase + query))
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                warn("OsmAnd report of " + deviceId + " answered " + response.statusCode() + ": " + response.body());
            }
            sent.incrementAndGet();
        } catch (IOException e) {
            warn("OsmAnd report of " + deviceId + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void warn(String message) {
        if (System.nanoTime() - lastWarning > 5_000_000_000L) {
            lastWarning = System.nanoTime();
            LOG.warn("Demo simulator: {}", message);
        }
    }
}
