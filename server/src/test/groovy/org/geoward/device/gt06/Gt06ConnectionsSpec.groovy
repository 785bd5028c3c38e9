package org.geoward.device.gt06

import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionStage
import java.util.concurrent.CopyOnWriteArrayList
import org.geoward.device.PositionSink
import org.geoward.device.SharedData
import org.geoward.device.SinkResult
import org.geoward.sighting.Sighting
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Timeout

/**
 * Connections that hold the GT06 door without sending real data: a login never followed by data, a slow-loris that
 * trickles one byte a second, and hundreds of both at once beside a real device on the same single event loop.
 * Also when a position is acknowledged: only once the sink has stored it, never when the sink is busy.
 */
@Timeout(60)
class Gt06ConnectionsSpec extends Specification {
    static final Duration IDLE = Duration.ofSeconds(2)
    static final Duration FRAME = Duration.ofSeconds(3)

    List<Sighting> received = new CopyOnWriteArrayList<>()
    /** What the sink answers: null stores at once; a future is handed out as it is (the test completes it). */
    CompletableFuture<SinkResult> answer
    PositionSink sink = new PositionSink() {
        SinkResult accept(Sighting p) { received << p; SinkResult.accepted() }

        CompletionStage<SinkResult> acceptAsync(Sighting p) {
            answer == null ? CompletableFuture.completedFuture(accept(p)) : answer.thenApply { r -> received << p; r }
        }

        boolean isKnown(String id) { id == Gt06ServerSpec.IMEI }
    }
    @AutoCleanup('stop')
    Gt06Server server = new Gt06Server('127.0.0.1', 0, IDLE, FRAME, 1, sink)
    InetSocketAddress address
    List<Socket> sockets = []

    def setup() {
        address = server.start()
    }

    def cleanup() {
        sockets*.close()
    }

    def "a login never followed by data is closed after the idle timeout, not before"() {
        given:
        def socket = connect()
        send(socket, Gt06ServerSpec.LOGIN)
        assert Gt06ServerSpec.readAck(socket).startsWith('78780501')
        long loggedIn = System.nanoTime()

        when:
        boolean closed = closedByPeer(socket)
        long after = (System.nanoTime() - loggedIn) / 1_000_000

        then: 'closed by the server, between the idle timeout and a second later'
        closed
        after >= IDLE.toMillis() - 100
        after < IDLE.toMillis() + 1_500
        received.isEmpty()
    }

    def "a slow-loris login, one byte a second, is closed after the frame timeout though it is never idle"() {
        given: 'a login of 18 bytes would take 18 s at this pace; the idle timeout (2 s) never fires'
        def socket = connect()
        byte[] login = SharedData.hex(Gt06ServerSpec.LOGIN)
        long first = System.nanoTime()

        when: 'one byte a second until the server closes the connection'
        int sent = 0
        boolean closed = false
        while (!closed && sent < login.length) {
            try {
                socket.outputStream.write(login[sent++])
                socket.outputStream.flush()
            } catch (IOException ignored) {
                closed = true
                break
            }
            closed = closedWithin(socket, 1_000)
        }
        long after = (System.nanoTime() - first) / 1_000_000

        then: 'closed after the frame timeout, before the login was whole, with no ack'
        closed
        sent < login.length
        after >= FRAME.toMillis() - 100
        after < FRAME.toMillis() + 2_000
        received.isEmpty()
    }

    def "three hundred idle and slow-loris connections on one event loop do not keep a real device from its acks"() {
        given: '150 slow-loris senders, one byte a second each, and 150 logged-in devices that never send data'
        List<Socket> loris = (1..150).collect { connect() }
        List<Socket> idle = (1..150).collect { connect() }
        byte[] login = SharedData.hex(Gt06ServerSpec.LOGIN)
        idle.each { send(it, Gt06ServerSpec.LOGIN) }
        def trickle = Thread.start {
            for (int i = 0; i < 6; i++) {
                loris.each { s ->
                    try {
                        s.outputStream.write(login[i]); s.outputStream.flush()
                    } catch (IOException ignored) {
                        // closed by the server, as it should be
                    }
                }
                Thread.sleep(1_000)
            }
        }
        Thread.sleep(500)

        when: 'a real device logs in meanwhile and sends twenty positions, each waiting for its ack'
        def device = connect()
        send(device, Gt06ServerSpec.LOGIN)
        String loginAck = Gt06ServerSpec.readAck(device)
        List<Long> ackMillis = (1..20).collect {
            long t0 = System.nanoTime()
            send(device, Gt06ServerSpec.POSITION)
            assert Gt06ServerSpec.readAck(device).startsWith('78780512')
            (System.nanoTime() - t0) / 1_000_000 as long
        }
        int openDuring = server.connections()
        trickle.join()

        then: 'the device had every ack within half a second, all twenty positions reached the sink'
        loginAck.startsWith('78780501')
        ackMillis.max() < 500
        received.size() == 20
        openDuring == 301

        and: 'every slow-loris and every silent login is closed by the timeouts; the real device, silent too, at last'
        ServerProcessWait.until(10) { server.connections() == 0 }
        loris.count { !closedWithin(it, 100) } == 0
        idle.count { !closedWithin(it, 100) } == 0
    }

    def "a position is acknowledged only once the sink has stored it, and not at all when the sink is busy"() {
        given:
        answer = new CompletableFuture<SinkResult>()
        def socket = connect()
        send(socket, Gt06ServerSpec.LOGIN)
        assert Gt06ServerSpec.readAck(socket).startsWith('78780501')

        when: 'a position while the sink has not stored it yet'
        send(socket, Gt06ServerSpec.POSITION)

        then: 'no ack'
        !ackWithin(socket, 500)

        when: 'the sink stores it'
        answer.complete(SinkResult.accepted())

        then: 'the ack comes'
        ackWithin(socket, 2_000)

        when: 'the sink is busy for the next one'
        answer = CompletableFuture.completedFuture(SinkResult.busy('test: ingest at capacity'))
        send(socket, Gt06ServerSpec.POSITION)

        then: 'it is never acknowledged, and the connection stays open for the device to send it again'
        !ackWithin(socket, 1_000)
        socket.connected && !socket.isClosed()

        when: 'it is sent again when the sink can take it'
        answer = null
        send(socket, Gt06ServerSpec.POSITION)

        then:
        ackWithin(socket, 2_000)
    }

    Socket connect() {
        def socket = new Socket(address.address, address.port)
        socket.soTimeout = 10_000
        sockets << socket
        socket
    }

    static void send(Socket socket, String hex) {
        socket.outputStream.write(SharedData.hex(hex))
        socket.outputStream.flush()
    }

    /** Whether the peer closed the connection (reads past any acks until end of stream or the socket's timeout). */
    static boolean closedByPeer(Socket socket) {
        try {
            while (socket.inputStream.read() != -1) {
                // an ack sent before the close
            }
            return true
        } catch (SocketTimeoutException ignored) {
            return false
        } catch (SocketException ignored) {
            return true
        }
    }

    static boolean closedWithin(Socket socket, int millis) {
        int before = socket.soTimeout
        socket.soTimeout = millis
        try {
            return closedByPeer(socket)
        } finally {
            if (!socket.isClosed()) {
                socket.soTimeout = before
            }
        }
    }

    /** Whether a whole 10-byte ack arrives within {@code millis}. */
    static boolean ackWithin(Socket socket, int millis) {
        socket.soTimeout = millis
        try {
            return socket.inputStream.readNBytes(10).length == 10
        } catch (SocketTimeoutException ignored) {
            return false
        } finally {
            socket.soTimeout = 10_000
        }
    }

    /** Polls a condition every 100 ms. */
    static class ServerProcessWait {
        static boolean until(int seconds, Closure<Boolean> condition) {
            long deadline = System.currentTimeMillis() + seconds * 1000L
            while (System.currentTimeMillis() < deadline) {
                if (condition()) {
                    return true
                }
                Thread.sleep(100)
            }
            condition()
        }
    }
}
