package org.geoward.notify

import com.sun.net.httpserver.HttpServer
import java.nio.charset.StandardCharsets
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/**
 * A webhook receiver on an ephemeral loopback port: answers 500 to the first {@code failures} calls, then 204, each
 * after {@code delayMillis}.
 */
class Receiver implements AutoCloseable {
    final HttpServer server
    final List<Map> calls = new CopyOnWriteArrayList<>()
    final AtomicInteger failuresLeft

    Receiver(int failures = 0, long delayMillis = 0) {
        failuresLeft = new AtomicInteger(failures)
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
        server.createContext("/hook") { exchange ->
            String body = new String(exchange.requestBody.readAllBytes(), StandardCharsets.UTF_8)
            Thread.sleep(delayMillis)
            boolean fail = failuresLeft.getAndDecrement() > 0
            calls << [id       : exchange.requestHeaders.getFirst("X-Geoward-Id"),
                      timestamp: exchange.requestHeaders.getFirst("X-Geoward-Timestamp"),
                      signature: exchange.requestHeaders.getFirst("X-Geoward-Signature"),
                      body     : body,
                      answered : fail ? 500 : 204]
            exchange.sendResponseHeaders(fail ? 500 : 204, -1)
            exchange.close()
        }
        server.start()
    }

    String url() {
        "http://127.0.0.1:${server.address.port}/hook".toString()
    }

    List<Map> delivered() {
        calls.findAll { it.answered == 204 }
    }

    /** Recomputes the HMAC-SHA256 over timestamp + "." + body, as a receiver would. */
    static boolean isSigned(Map call, String secret) {
        def mac = javax.crypto.Mac.getInstance("HmacSHA256")
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
        def expected = "sha256=" + mac.doFinal("${call.timestamp}.${call.body}".toString().getBytes(StandardCharsets.UTF_8))
                .encodeHex().toString()
        expected == call.signature
    }

    @Override
    void close() {
        server.stop(0)
    }
}
