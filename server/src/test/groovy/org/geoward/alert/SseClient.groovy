package org.geoward.alert

import groovy.json.JsonSlurper

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.BlockingQueue
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import java.util.stream.Stream

/** Reads a text/event-stream over a raw JDK HTTP connection, one parsed event ({@code id, event, data}) at a time. */
class SseClient implements Closeable {
    final BlockingQueue<Map> events = new LinkedBlockingQueue<>()
    private volatile Stream<String> lines
    private final Thread reader
    volatile Integer status

    SseClient(URI uri, Map<String, String> headers = [:]) {
        def request = HttpRequest.newBuilder(uri).header('Accept', 'text/event-stream')
        headers.each { k, v -> request.header(k, v) }
        def future = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
        reader = Thread.start {
            try {
                HttpResponse<Stream<String>> response = future.get(20, TimeUnit.SECONDS)
                status = response.statusCode()
                lines = response.body()
                Map event = [:]
                lines.forEach { String line ->
                    if (line.isEmpty()) {
                        if (event.data != null && event.id != null) {
                            // events without id ('ready', 'heartbeat') say the stream is alive; they carry no alert
                            event.data = new JsonSlurper().parseText(event.data as String)
                            events.put(event)
                        }
                        event = [:]
                    } else if (!line.startsWith(':')) {
                        int colon = line.indexOf(':')
                        String field = colon < 0 ? line : line.substring(0, colon)
                        String value = colon < 0 ? '' : line.substring(colon + 1).replaceFirst('^ ', '')
                        event[field] = event[field] == null ? value : event[field] + '\n' + value
                    }
                }
            } catch (ignored) {
                // closed
            }
        }
    }

    /** Waits up to {@code seconds} for the response headers. */
    void awaitConnected(int seconds = 5) {
        long end = System.currentTimeMillis() + seconds * 1000
        while (status == null && System.currentTimeMillis() < end) {
            Thread.sleep(50)
        }
    }

    /** Collects events until {@code count} of them match, or the timeout passes; returns every event read. */
    List<Map> collect(int count, int seconds, Closure<Boolean> matches) {
        List<Map> all = []
        long end = System.currentTimeMillis() + seconds * 1000
        while (all.count(matches) < count && System.currentTimeMillis() < end) {
            Map e = events.poll(100, TimeUnit.MILLISECONDS)
            if (e != null) {
                all << e
            }
        }
        all
    }

    @Override
    void close() {
        lines?.close()
        reader.interrupt()
    }
}
