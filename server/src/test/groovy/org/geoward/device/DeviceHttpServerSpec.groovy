package org.geoward.device

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import spock.lang.AutoCleanup
import spock.lang.Specification

/** The device HTTP listener sheds what it cannot hand on at once, instead of queueing it behind busy threads. */
class DeviceHttpServerSpec extends Specification {
    static final int LIMIT = 4

    @AutoCleanup("shutdownNow")
    def executor = Executors.newFixedThreadPool(16)

    def release = new CountDownLatch(1)
    def handled = new AtomicInteger()

    @AutoCleanup
    def server = new DeviceHttpServer("test", "127.0.0.1", 0, executor, LIMIT, { method, uri, body, type ->
        release.await(10, TimeUnit.SECONDS)
        handled.incrementAndGet()
        new HttpReply(200, "text/plain", "ok")
    } as DeviceHttpServer.Handler)

    def client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

    CompletableFuture<HttpResponse<String>> send(int port, int n) {
        def request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:$port/?id=dev$n&lat=29.7&lon=107.4"))
                .timeout(Duration.ofSeconds(20)).GET().build()
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
    }

    def "with #LIMIT reports in hand the next is answered 503 with Retry-After at once, and the held ones all succeed"() {
        given:
        int port = server.start().port

        when: 'four slow reports occupy the listener, then a fifth arrives'
        def held = (1..LIMIT).collect { send(port, it) }
        long deadline = System.currentTimeMillis() + 5_000
        while (server.inFlight() < LIMIT && System.currentTimeMillis() < deadline) {
            Thread.sleep(10)
        }
        long t0 = System.nanoTime()
        def fifth = send(port, 5).get(5, TimeUnit.SECONDS)
        long fifthMillis = (System.nanoTime() - t0).intdiv(1_000_000)
        release.countDown()
        def answers = held*.get(10, TimeUnit.SECONDS)

        then: 'the fifth was refused without waiting for the held ones, saying when to come back'
        fifth.statusCode() == 503
        fifth.headers().firstValue("Retry-After").orElse(null) == "1"
        fifth.body().contains("send again")
        fifthMillis < 3_000
        server.shed() == 1

        and: 'the held ones were handled and answered; the slot count went back to zero'
        answers*.statusCode() == [200] * LIMIT
        handled.get() == LIMIT
        server.inFlight() == 0

        when: 'the listener is free again'
        def later = send(port, 6).get(5, TimeUnit.SECONDS)

        then:
        later.statusCode() == 200
    }
}
