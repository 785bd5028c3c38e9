package org.geoward.device

import org.geoward.device.gt06.Gt06Acks

import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.UserRepository
import spock.lang.Specification
import spock.lang.Timeout

import java.time.Instant
import java.time.ZoneOffset
import java.time.temporal.ChronoUnit

import static org.geoward.device.DeviceWorld.enc
import static org.geoward.device.DeviceWorld.eventually

/** Devices end to end: real HTTP to the OsmAnd listener and the OwnTracks endpoint, real TCP to the GT06 one. */
@MicronautTest(transactional = false)
@Timeout(60)
class DeviceEndToEndSpec extends Specification {

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    UserRepository users

    @Inject
    PasswordHasher hasher

    @Inject
    DeviceListeners listeners

    DeviceWorld world

    def setup() {
        world = new DeviceWorld(http, users, hasher, listeners.osmandAddress().orElseThrow())
    }

    static final double LON = 107.39
    static final double LAT = 29.70

    Instant recent(int minutesAgo = 10) {
        Instant.now().minus(minutesAgo, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)
    }

    // ---- OsmAnd ----

    def "a registered OsmAnd device's fix over the query string is stored and answered 200"() {
        given:
        def ward = world.ward()
        def device = world.device("OSMAND", ward)
        def time = recent()

        when:
        def reply = world.osmandGet("id=${enc(device.uniqueId)}&timestamp=${time.epochSecond}&lat=$LAT&lon=$LON" +
                "&speed=10&bearing=90&accuracy=12&batt=77&token=${enc(device.token)}")
        def track = world.track(ward)

        then:
        reply.statusCode() == 200
        track.size() == 1
        track[0].geometry.coordinates == [LON, LAT]
        track[0].properties.time == time.toString()
        track[0].properties.accuracy == 12
        track[0].properties.battery == 77
        Math.abs(track[0].properties.speed - 18.52) < 0.01 // knots to km/h
    }

    def "an OsmAnd fix with #what token is refused with 401"() {
        given:
        def ward = world.ward()
        def device = world.device("OSMAND", ward)

        when:
        def reply = world.osmandGet("id=${enc(device.uniqueId)}&timestamp=${recent().epochSecond}&lat=$LAT&lon=$LON$token")

        then:
        reply.statusCode() == 401
        reply.body().contains(device.uniqueId)
        world.track(ward).isEmpty()

        where:
        what        | token
        "a wrong"   | "&token=not-the-token"
        "no"        | ""
    }

    def "an unknown OsmAnd device gets 404 and is listed for an admin to claim"() {
        given:
        def uniqueId = DeviceWorld.unique("stranger")

        when:
        def reply = world.osmandGet("id=${enc(uniqueId)}&timestamp=${recent().epochSecond}&lat=$LAT&lon=$LON")
        def unknown = world.unknownDevices().find { it.uniqueId == uniqueId }

        then:
        reply.statusCode() == 404
        reply.body().contains(uniqueId)
        unknown.protocol == "OSMAND"
        unknown.attempts == 1
    }

    def "an OsmAnd fix with lat 95 is refused with 400 saying why"() {
        given:
        def ward = world.ward()
        def device = world.device("OSMAND", ward)

        when:
        def reply = world.osmandGet(
                "id=${enc(device.uniqueId)}&timestamp=${recent().epochSecond}&lat=95&lon=$LON&token=${enc(device.token)}")

        then:
        reply.statusCode() == 400
        reply.body().contains("95")
        reply.body().contains("lat")
        world.track(ward).isEmpty()
    }

    def "the OsmAnd JSON body form (as the newer Traccar Client sends it) is stored"() {
        given:
        def ward = world.ward()
        def device = world.device("OSMAND", ward)
        def time = recent(5)
        def body = [device_id: device.uniqueId, location: [timestamp: time.toString(), coords: [latitude: LAT,
                    longitude: LON, accuracy: 5, speed: 1, heading: 45, altitude: 200],
                    is_moving: true, battery: [level: 0.5, is_charging: false]]]

        when:
        def reply = world.osmandPostJson("token=${enc(device.token)}", body)
        def track = world.track(ward)

        then:
        reply.statusCode() == 200
        track.size() == 1
        track[0].geometry.coordinates == [LON, LAT]
        track[0].properties.time == time.toString()
    }

    // ---- GT06 ----

    Socket gt06() {
        def address = listeners.gt06Address().orElseThrow()
        def socket = new Socket("127.0.0.1", address.port)
        socket.soTimeout = 5_000
        socket
    }

    static byte[] loginFrame(String imei, int serial = 1) {
        Gt06Acks.frame(false, 0x01, HexFormat.of().parseHex("0" + imei), serial)
    }

    /** The 18-byte GPS block: time, satellites, lat, lon, speed, course and flags (valid, north, east). */
    static byte[] gps(Instant time, double lat, double lon, int speedKmh = 0, int course = 0) {
        def t = time.atOffset(ZoneOffset.UTC)
        def out = new ByteArrayOutputStream()
        [t.year - 2000, t.monthValue, t.dayOfMonth, t.hour, t.minute, t.second, 0xC9].each { out.write(it) }
        def dos = new DataOutputStream(out)
        dos.writeInt(Math.round(Math.abs(lat) * 1_800_000) as int)
        dos.writeInt(Math.round(Math.abs(lon) * 1_800_000) as int)
        dos.writeByte(speedKmh)
        int flags = 0x1000 | (lat >= 0 ? 0x0400 : 0) | (lon < 0 ? 0x0800 : 0) | (course & 0x3FF)
        dos.writeShort(flags)
        out.toByteArray()
    }

    static byte[] concat(byte[] a, byte[] b) {
        def out = new byte[a.length + b.length]
        System.arraycopy(a, 0, out, 0, a.length)
        System.arraycopy(b, 0, out, a.length, b.length)
        out
    }

    static byte[] locationFrame(Instant time, double lat, double lon, int serial) {
        def lbs = HexFormat.of().parseHex("01cc00287d001fb8") // MCC 460, MNC 0, LAC, cell id
        Gt06Acks.frame(false, 0x12, concat(gps(time, lat, lon), lbs), serial)
    }

    static byte[] sosFrame(Instant time, double lat, double lon, int serial) {
        // GPS, LBS block with its length byte, status: terminal info, voltage level 4, GSM 4, alarm 0x01 (SOS), language
        def rest = HexFormat.of().parseHex("0901cc00287d001fb8" + "44" + "04" + "04" + "01" + "02")
        Gt06Acks.frame(false, 0x16, concat(gps(time, lat, lon), rest), serial)
    }

    static String readAck(Socket socket) {
        HexFormat.of().formatHex(socket.inputStream.readNBytes(10))
    }

    static String expectedAck(int protocol, int serial) {
        HexFormat.of().formatHex(Gt06Acks.ack(protocol, serial))
    }

    static boolean closedByPeer(Socket socket) {
        try {
            return socket.inputStream.read() == -1
        } catch (SocketException ignored) {
            return true
        }
    }

    def "a GT06 tracker logs in with its IMEI and its 0x12 location becomes a sighting at the right position"() {
        given:
        def ward = world.ward()
        def imei = DeviceWorld.imei()
        world.device("GT06", ward, imei)
        def time = recent(3)
        def socket = gt06()

        when:
        socket.outputStream.write(loginFrame(imei, 1))
        def loginAck = readAck(socket)
        socket.outputStream.write(locationFrame(time, 29.701234, 107.391234, 2))
        def locationAck = readAck(socket)
        def track = eventually { world.track(ward) }

        then:
        loginAck == expectedAck(0x01, 1)
        locationAck == expectedAck(0x12, 2)
        track.size() == 1
        Math.abs(track[0].geometry.coordinates[0] - 107.391234) < 1e-5
        Math.abs(track[0].geometry.coordinates[1] - 29.701234) < 1e-5
        track[0].properties.time == time.toString()

        cleanup:
        socket?.close()
    }

    def "several GT06 locations in one TCP write are all stored in order"() {
        given:
        def ward = world.ward()
        def imei = DeviceWorld.imei()
        world.device("GT06", ward, imei)
        def start = recent(20)
        def socket = gt06()
        def frames = new ByteArrayOutputStream()
        frames.write(loginFrame(imei, 1))
        (0..<5).each { frames.write(locationFrame(start.plusSeconds(60 * it), LAT + it * 0.001, LON, 2 + it)) }

        when:
        socket.outputStream.write(frames.toByteArray())
        def acks = (0..<6).collect { readAck(socket) }
        def track = eventually { def t = world.track(ward); t.size() == 5 ? t : null }

        then:
        acks == [expectedAck(0x01, 1)] + (0..<5).collect { expectedAck(0x12, 2 + it) }
        track*.properties*.time == (0..<5).collect { start.plusSeconds(60 * it).toString() }

        cleanup:
        socket?.close()
    }

    def "an unknown IMEI's GT06 connection is closed and the IMEI listed for an admin to claim"() {
        given:
        def imei = DeviceWorld.imei()
        def socket = gt06()

        when:
        socket.outputStream.write(loginFrame(imei, 1))
        def closed = closedByPeer(socket)
        def unknown = world.unknownDevices().find { it.uniqueId == imei }

        then:
        closed
        unknown.protocol == "GT06"

        cleanup:
        socket?.close()
    }

    def "a GT06 SOS alarm frame raises an SOS alert for the ward"() {
        given:
        def ward = world.ward()
        def imei = DeviceWorld.imei()
        world.device("GT06", ward, imei)
        def time = recent(2)
        def socket = gt06()

        when:
        socket.outputStream.write(loginFrame(imei, 7))
        def loginAck = readAck(socket)
        socket.outputStream.write(sosFrame(time, LAT, LON, 8))
        def alarmAck = readAck(socket)
        def sos = eventually { world.alerts(ward, "SOS") }

        then:
        loginAck == expectedAck(0x01, 7)
        alarmAck == expectedAck(0x16, 8)
        sos.size() == 1
        sos[0].properties.openedAt == time.toString()
        world.track(ward)[0].properties.sos == true

        cleanup:
        socket?.close()
    }

    /** A GT06 connection of a new watch registered for the ward, logged in (serial 1, acknowledged). */
    Socket loggedInWatch(long ward) {
        def imei = DeviceWorld.imei()
        world.device("GT06", ward, imei)
        def socket = gt06()
        socket.outputStream.write(loginFrame(imei, 1))
        assert readAck(socket) == expectedAck(0x01, 1)
        socket
    }

    static byte[] statusFrame(int terminalInfo, int alarm, int serial) {
        Gt06Acks.frame(false, 0x13, [terminalInfo, 0x04, 0x04, alarm, 0x02] as byte[], serial)
    }

    def "a GT06 watch's SOS in a status frame, which has no position, raises SOS where the ward was last seen"() {
        given: "a watch that reported a fix three minutes ago"
        def ward = world.ward()
        def socket = loggedInWatch(ward)
        socket.outputStream.write(locationFrame(recent(3), 29.705, 107.395, 2))
        readAck(socket)
        eventually { world.track(ward) }

        when: "it sends a status frame with SOS in the terminal information (bits 3-5 = 100)"
        def before = Instant.now()
        socket.outputStream.write(statusFrame(0x20, 0x00, 3))
        def ack = readAck(socket)
        def sos = eventually { world.alerts(ward, "SOS") }
        def track = world.track(ward)

        then: "the alert opens at the last known position, now"
        ack == expectedAck(0x13, 3)
        sos.size() == 1
        Math.abs(sos[0].geometry.coordinates[0] - 107.395) < 1e-5
        Math.abs(sos[0].geometry.coordinates[1] - 29.705) < 1e-5
        !Instant.parse(sos[0].properties.openedAt).isBefore(before.minusSeconds(1))
        track.size() == 2
        track[1].properties.sos == true

        cleanup:
        socket?.close()
    }

    def "a GT06 SOS status frame from a watch that never had a fix is acknowledged but places nothing"() {
        given:
        def ward = world.ward()
        def socket = loggedInWatch(ward)

        when:
        socket.outputStream.write(statusFrame(0x44, 0x01, 2))
        def ack = readAck(socket)
        socket.outputStream.write(locationFrame(recent(1), 29.705, 107.395, 3))
        readAck(socket)
        def track = eventually { world.track(ward) }

        then: "the later fix is stored, the position-less SOS is not, and no SOS alert opened at a made-up place"
        ack == expectedAck(0x13, 2)
        track.size() == 1
        track[0].properties.sos != true
        world.alerts(ward, "SOS").isEmpty()

        cleanup:
        socket?.close()
    }

    // ---- OwnTracks ----

    def "an OwnTracks location with Basic device credentials is answered [] and stored"() {
        given:
        def ward = world.ward()
        def device = world.device("OWNTRACKS", ward)
        def tst = recent(4).epochSecond
        def basic = Base64.encoder.encodeToString("${device.uniqueId}:${device.token}".getBytes("UTF-8"))
        def body = """{"_type":"location","lat":$LAT,"lon":$LON,"tst":$tst,"acc":15,"batt":46,"tid":"5t","vel":0}"""

        when:
        def reply = http.toBlocking().exchange(HttpRequest.POST("/ingest/owntracks", body)
                .contentType("application/json").header("Authorization", "Basic $basic"), String)
        def track = world.track(ward)

        then:
        reply.status.code == 200
        reply.body() == "[]"
        track.size() == 1
        track[0].geometry.coordinates == [LON, LAT]
        track[0].properties.time == Instant.ofEpochSecond(tst).toString()
        track[0].properties.accuracy == 15
    }

    def "OwnTracks with #what credentials is refused with a 401 problem"() {
        given:
        def ward = world.ward()
        def device = world.device("OWNTRACKS", ward)
        def credentials = what == "wrong" ? "${device.uniqueId}:nope" : "${DeviceWorld.unique('who')}:x"
        def basic = Base64.encoder.encodeToString(credentials.getBytes("UTF-8"))
        def body = """{"_type":"location","lat":$LAT,"lon":$LON,"tst":${recent().epochSecond}}"""

        when:
        http.toBlocking().exchange(HttpRequest.POST("/ingest/owntracks", body)
                .contentType("application/json").header("Authorization", "Basic $basic"), String)

        then:
        def e = thrown(HttpClientResponseException)
        e.status.code == 401
        e.response.contentType.get().toString() == "application/problem+json"
        world.track(ward).isEmpty()

        where:
        what << ["wrong", "unknown"]
    }
}
