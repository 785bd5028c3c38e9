package org.geoward.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One JSON sender: posts batches to {@code POST /api/sightings} over its own HTTP/1.1 keep-alive connection, one at a
 * time, each after the answer to the one before. A 503 is answered by waiting its Retry-After (1 s without one, at
 * most 30 s) and sending the same batch again; any other answer than 202 accepting every fix of the batch, with no
 * duplicate and no rejection, stops the run. Confined to one thread.
 */
final class BatchPoster {
    private static final int MAX_ATTEMPTS = 20;
    private static final long MAX_WAIT_SECONDS = 30;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI sightings;
    private final String authorization;
    private long busy;

    BatchPoster(URI api, String accessToken) {
        this.sightings = api.resolve("/api/sightings");
        this.authorization = "Bearer " + accessToken;
    }

    /** Posts {@code body} (holding {@code fixes} fixes) until it is answered 202; returns the latency in nanos. */
    long post(byte[] body, int fixes) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(sightings)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            long start = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException("POST /api/sightings got no answer: " + e, e);
            }
            if (response.statusCode() == 202) {
                long took = System.nanoTime() - start;
                check(response.body(), fixes);
                return took;
            }
            if (response.statusCode() != 503) {
                throw new IllegalStateException("POST /api/sightings answered " + response.statusCode() + ": "
                        + JsonText.abbreviate(response.body()));
            }
            busy++;
            long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
            TimeUnit.SECONDS.sleep(Math.max(0, Math.min(wait, MAX_WAIT_SECONDS)));
        }
        throw new IllegalStateException("POST /api/sightings answered 503 " + MAX_ATTEMPTS + " times in a row");
    }

    /** 503s answered so far (each resent after its Retry-After). */
    long busy() {
        return busy;
    }

    private static void check(String body, int fixes) {
        long accepted = Long.parseLong(JsonText.member(body, "accepted"));
        long duplicates = Long.parseLong(JsonText.member(body, "duplicates"));
        if (accepted != fixes || duplicates != 0) {
            throw new IllegalStateException("POST /api/sightings accepted " + accepted + " of " + fixes + " fixes ("
                    + duplicates + " duplicates): " + JsonText.abbreviate(body));
        }
    }
}
