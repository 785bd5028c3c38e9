package org.geoward.bench.load;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One connection's worth of phones: sends the fixes of its walkers in turn, one request at a time, each after the
 * answer to the one before. A 503 is answered by waiting its Retry-After (1 s without one, at most 30 s) and sending
 * the same fix again; a request without an answer is sent again on a new connection; any other status is counted and
 * the fix is not sent again. At most {@value #MAX_ATTEMPTS} attempts per fix.
 */
final class Sender implements Runnable {
    static final int MAX_ATTEMPTS = 20;
    private static final long MAX_WAIT_SECONDS = 30;
    private static final long FAILURE_PAUSE_MILLIS = 200;

    private final OsmAndConnection connection;
    private final List<Walker> walkers;
    private final Phases phases;
    private volatile String firstFailure;

    Sender(URI osmand, String method, List<Walker> walkers, Phases phases) {
        this.connection = new OsmAndConnection(osmand, method);
        this.walkers = walkers;
        this.phases = phases;
    }

    @Override
    public void run() {
        try (connection) {
            int next = 0;
            while (phases.claim()) {
                Walker walker = walkers.get(next);
                next = (next + 1) % walkers.size();
                deliver(walker, walker.next());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first request that got no answer, as text, or null. */
    String firstFailure() {
        return firstFailure;
    }

    /** TCP connections opened, including reconnects. */
    long connects() {
        return connection.connects();
    }

    private void deliver(Walker walker, String target) throws InterruptedException {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Counters counters = phases.counters();
            counters.sent.increment();
            long start = System.nanoTime();
            try {
                OsmAndConnection.Reply reply = connection.send(target);
                if (reply.status() == 200) {
                    counters.countAcked(System.nanoTime() - start);
                    walker.countAcked();
                    if (walker.acked() == 1) {
                        phases.countFirstAck();
                    }
                    return;
                }
                if (reply.status() != 503) {
                    counters.countOther(reply.status(), reply.body());
                    return;
                }
                counters.busy.increment();
                long wait = reply.retryAfterSeconds() < 0 ? 1 : Math.min(reply.retryAfterSeconds(), MAX_WAIT_SECONDS);
                TimeUnit.SECONDS.sleep(wait);
            } catch (IOException e) {
                counters.failed.increment();
                if (firstFailure == null) {
                    firstFailure = e.toString();
                }
                TimeUnit.MILLISECONDS.sleep(FAILURE_PAUSE_MILLIS);
            }
            if (phases.isStopping()) {
                break;
            }
        }
        phases.counters().dropped.increment();
    }
}
