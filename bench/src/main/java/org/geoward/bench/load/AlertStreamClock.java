package org.geoward.bench.load;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Times fix → alert on Geoward's live alert stream ({@code GET /api/alerts/stream?access_token=..}, the console's):
 * {@link #expect} notes when the fix that should open an alert for a subject was sent; a reader thread stamps the
 * arrival of that subject's first {@code opened} event with {@link System#nanoTime()} as soon as its data line is read.
 * Thread-safe.
 */
final class AlertStreamClock implements AutoCloseable {
    private final ConcurrentHashMap<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final ConcurrentHashMap<Long, Boolean> seen = new ConcurrentHashMap<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;
    private volatile Stream<String> lines;
    private volatile Throwable failure;
    private volatile long maxNanos;

    AlertStreamClock(URI api, String accessToken) {
        URI uri = api.resolve(
                "/api/alerts/stream?access_token=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .build();
        var future = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        reader = new Thread(
                () -> {
                    try {
                        HttpResponse<Stream<String>> response = future.get(30, TimeUnit.SECONDS);
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("the alert stream answered " + response.statusCode());
                        }
                        lines = response.body();
                        read(lines);
                    } catch (Throwable e) {
                        failure = e;
                        ready.countDown();
                    }
                },
                "alert-stream-clock");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Stream<String> stream) {
        String[] event = {null};
        stream.forEach(line -> {
            if (line.startsWith("event:")) {
                event[0] = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                long now = System.nanoTime();
                if ("ready".equals(event[0])) {
                    ready.countDown();
                } else if ("opened".equals(event[0])) {
                    String subject = JsonText.lastOf(line.substring(5), "subjectId");
                    Long sent = subject == null ? null : sentAt.get(Long.parseLong(subject));
                    if (sent != null && seen.putIfAbsent(Long.parseLong(subject), Boolean.TRUE) == null) {
                        latency.record(now - sent);
                        maxNanos = Math.max(maxNanos, now - sent);
                    }
                }
            } else if (line.isEmpty()) {
                event[0] = null;
            }
        });
    }

    /** Waits for the stream's first event ({@code ready}); throws when it does not come within 30 s. */
    void awaitReady() throws InterruptedException {
        if (!ready.await(30, TimeUnit.SECONDS) || failure != null) {
            throw new IllegalStateException("the alert stream did not open: " + failure);
        }
    }

    /** Notes that the fix opening an alert for {@code subjectId} is being sent now. */
    void expect(long subjectId, long sentNanos) {
        sentAt.put(subjectId, sentNanos);
    }

    /** Waits until every expected subject has had its event, or {@code seconds} pass; returns how many did. */
    long await(int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (seen.size() < sentAt.size() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return seen.size();
    }

    LatencyHistogram latency() {
        return latency;
    }

    double maxMillis() {
        return maxNanos / 1e6;
    }

    int expected() {
        return sentAt.size();
    }

    @Override
    public void close() {
        Stream<String> s = lines;
        if (s != null) {
            s.close();
        }
        reader.interrupt();
    }
}
