package org.geoward.bench

import groovy.json.JsonSlurper

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.stream.Stream

/**
 * Listens to {@code GET /api/alerts/stream} and times alerts: {@link #expect} notes when the fix that should open an
 * alert for a subject was sent; the reader stamps the arrival of that subject's first {@code opened} event with
 * {@link System#nanoTime()} as soon as its data line is read, before any parsing of other events' bodies.
 */
class SseLatency implements Closeable {
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>()
    private final Map<String, Long> latencyNanos = new ConcurrentHashMap<>()
    private final CountDownLatch connected = new CountDownLatch(1)
    private final Thread reader
    private volatile Stream<String> lines
    volatile int status
    volatile long events
    volatile Throwable failure

    SseLatency(URI uri) {
        def request = HttpRequest.newBuilder(uri).header('Accept', 'text/event-stream').build()
        def future = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
        reader = Thread.startDaemon('sse-latency') {
            try {
                HttpResponse<Stream<String>> response = future.get(20, TimeUnit.SECONDS)
                status = response.statusCode()
                connected.countDown()
                lines = response.body()
                String name = null
                lines.forEach { String line ->
                    if (line.startsWith('event:')) {
                        name = line.substring(6).trim()
                    } else if (line.startsWith('data:')) {
                        long now = System.nanoTime()
                        events++
                        if (name == 'opened') {
                            def data = new JsonSlurper().parseText(line.substring(5))
                            String subject = data.properties.subjectId
                            Long sent = sentAt.get(subject)
                            if (sent != null) {
                                latencyNanos.putIfAbsent(subject, now - sent)
                            }
                        }
                    } else if (line.isEmpty()) {
                        name = null
                    }
                }
            } catch (Throwable e) {
                failure = e
                connected.countDown()
            }
        }
    }

    /** Waits for the response headers; the server sends them with the first event, so cause one first. */
    void awaitConnected() {
        assert connected.await(30, TimeUnit.SECONDS)
        assert status == 200: failure
    }

    /** Notes that the fix opening an alert for {@code subjectId} is being sent now. */
    void expect(long subjectId, long sentNanos) {
        sentAt.put(Long.toString(subjectId), sentNanos)
    }

    /** Waits until every expected subject has its event, or {@code seconds} pass; returns the latencies in ms. */
    List<Double> await(int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L
        while (latencyNanos.size() < sentAt.size() && System.nanoTime() < end) {
            Thread.sleep(20)
        }
        latencyNanos.values().collect { it / 1e6 }.sort()
    }

    int expected() {
        sentAt.size()
    }

    void reset() {
        sentAt.clear()
        latencyNanos.clear()
    }

    @Override
    void close() {
        lines?.close()
        reader.interrupt()
    }
}
