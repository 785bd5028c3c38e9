package org.geoward.device.gt06

import org.geoward.device.PositionSink
import org.geoward.device.SharedData
import org.geoward.device.SinkResult

import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import org.geoward.sighting.Sighting
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Timeout

/** The GT06 listener over real TCP on an ephemeral loopback port. */
@Timeout(20)
class Gt06ServerSpec extends Specification {

    static final String LOGIN = '78780d01086471700328358100093f040d0a'
    static final String POSITION = '78781f120f0a140e150bc505e51e780293a9e800540000f601006e0055da00035f240d0a'
    static final String IMEI = '864717003283581'

    List<Sighting> received = new CopyOnWriteArrayList<>()
    Set<String> known = [IMEI] as Set
    PositionSink sink = new PositionSink() {
        SinkResult accept(Sighting p) { received << p; SinkResult.accepted() }
        boolean isKnown(String id) { known.contains(id) }
    }
    @AutoCleanup('stop') Gt06Server server = new Gt06Server('127.0.0.1', 0, Duration.ofSeconds(idleSeconds()), 1, sink)
    InetSocketAddress address

    int idleSeconds() { 30 }

    def setup() {
        address = server.start()
    }

    Socket connect() {
        def socket = new Socket(address.address, address.port)
        socket.soTimeout = 5000
        socket
    }

    static void send(Socket socket, String hex) {
        socket.outputStream.write(SharedData.hex(hex))
        socket.outputStream.flush()
    }

    static String readAck(Socket socket) {
        def ack = socket.inputStream.readNBytes(10)
        HexFormat.of().formatHex(ack)
    }

    static boolean closedByPeer(Socket socket) {
        try {
            return socket.inputStream.read() == -1
        } catch (SocketException ignored) {
            return true
        }
    }

    void awaitPositions(int count) {
        long deadline = System.currentTimeMillis() + 5000
        while (received.size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(20)
        }
    }

    def "a login and a position split over two TCP writes reach the sink"() {
        given:
        def socket = connect()

        when:
        send(socket, LOGIN)
        def loginAck = readAck(socket)
        send(socket, POSITION.substring(0, 20))
        Thread.sleep(100)
        send(socket, POSITION.substring(20))
        def positionAck = readAck(socket)
        awaitPositions(1)

        then:
        loginAck == '787805010009' + Gt06FramingSpec.crc('05010009') + '0d0a'
        positionAck == '787805120003' + Gt06FramingSpec.crc('05120003') + '0d0a'
        received.size() == 1
        received[0].deviceId() == IMEI
        Math.abs(received[0].lat() - 54.94535) < 1e-5

        cleanup:
        socket?.close()
    }

    def "two frames in one TCP write both reach the sink"() {
        given:
        def socket = connect()
        def body = POSITION.substring(4, POSITION.length() - 12) + '0004'
        def second = '7878' + body + Gt06FramingSpec.crc(body) + '0d0a'

        when:
        send(socket, LOGIN + POSITION + second)
        awaitPositions(2)

        then:
        received.size() == 2

        cleanup:
        socket?.close()
    }

    def "#what closes the connection without delivering anything"() {
        given:
        def socket = connect()

        when:
        send(socket, hex)

        then:
        closedByPeer(socket)
        received.isEmpty()

        cleanup:
        socket?.close()

        where:
        what                               | hex
        'a garbage stream'                 | '474554202f20485454502f312e310d0a0d0a'
        'a position before login'          | POSITION
        'a login of an unknown device'     | '78780d010123456789012345' + '0001' + Gt06FramingSpec.crc('0d0101234567890123450001') + '0d0a'
    }

    def "stop ends every event-loop thread"() {
        when:
        server.stop()
        Thread.sleep(100)

        then:
        Thread.allStackTraces.keySet().findAll { it.name.startsWith('gt06-') && it.alive }.isEmpty()
    }
}

/** A silent client is closed after the idle time. */
@Timeout(20)
class Gt06ServerIdleSpec extends Specification {

    def "a client that sends nothing is closed after the idle timeout"() {
        given:
        def server = new Gt06Server('127.0.0.1', 0, Duration.ofMillis(300), 1, { p -> SinkResult.accepted() })
        def address = server.start()
        def socket = new Socket(address.address, address.port)
        socket.soTimeout = 5000

        expect:
        socket.inputStream.read() == -1

        cleanup:
        socket?.close()
        server?.stop()
    }
}
