package org.geoward.device.gt06

import org.geoward.device.SharedData

import io.netty.buffer.ByteBuf
import io.netty.buffer.Unpooled
import io.netty.channel.embedded.EmbeddedChannel
import spock.lang.Specification

/** The GT06 frame decoder on an in-memory channel, and the acknowledgement bytes. */
class Gt06FramingSpec extends Specification {

    static final String LOGIN = '78780d01086471700328358100093f040d0a'
    static final String POSITION = '78781f120f0a140e150bc505e51e780293a9e800540000f601006e0055da00035f240d0a'

    def channel = new EmbeddedChannel(new Gt06FrameDecoder())

    static ByteBuf bytes(String hex) {
        Unpooled.wrappedBuffer(SharedData.hex(hex))
    }

    def "a frame split at byte #cut across two reads comes out whole"() {
        when:
        channel.writeInbound(bytes(POSITION.substring(0, cut * 2)))
        channel.writeInbound(bytes(POSITION.substring(cut * 2)))

        then:
        Gt06Frame frame = channel.readInbound()
        frame.protocol() == 0x12
        frame.serial() == 0x0003
        frame.contentLength() == 26
        channel.readInbound() == null
        channel.isOpen()

        where:
        cut << [1, 2, 3, 10, 35]
    }

    def "two frames in one read come out as two frames"() {
        when:
        channel.writeInbound(bytes(LOGIN + POSITION))

        then:
        (channel.readInbound() as Gt06Frame).protocol() == 0x01
        (channel.readInbound() as Gt06Frame).protocol() == 0x12
    }

    def "an extended 0x7979 frame is framed with its 2-byte length"() {
        when:
        channel.writeInbound(bytes('79790008940000ed0289d6860d0a'))

        then:
        Gt06Frame frame = channel.readInbound()
        frame.extended()
        frame.protocol() == 0x94
    }

    def "a frame with a bad CRC is dropped and the next frame still comes through"() {
        when:
        channel.writeInbound(bytes(POSITION.replace('035f240d0a', '035f250d0a') + LOGIN))

        then:
        (channel.readInbound() as Gt06Frame).protocol() == 0x01
        channel.readInbound() == null
        channel.isOpen()
    }

    def "#what closes the connection"() {
        when:
        channel.writeInbound(bytes(hex))

        then:
        !channel.isOpen()
        channel.readInbound() == null

        where:
        what                         | hex
        'a stream of garbage'        | '474554202f20485454502f312e310d0a'
        'a length below the minimum' | '787803120d0a'
        'missing stop bits'          | POSITION.replace('0d0a', 'ffff')
        'an oversized frame'         | '79790fff12' + '00' * 20
    }

    def "the login acknowledgement is byte-exact: 78 78 05 01 serial CRC 0D 0A"() {
        expect:
        HexFormat.of().formatHex(Gt06Acks.ack(protocol, serial)) == expected

        where: 'examples from the GT06 protocol document, as Traccar sends them'
        protocol | serial || expected
        0x01     | 0x0001 || '7878050100 01d9dc0d0a'.replace(' ', '')
        0x13     | 0x0001 || '78780513 0001e9f10d0a'.replace(' ', '')
        0x01     | 0x0009 || '78780501000' + '9' + crc('05010009') + '0d0a'
    }

    def "CRC-ITU matches the CRC-16/X-25 check value"() {
        expect:
        Gt06Crc.of('123456789'.bytes) == 0x906E
    }

    def "an acknowledgement is itself a valid frame"() {
        when:
        def ack = Gt06Frame.cast(Gt06FrameDecoder.read(Unpooled.wrappedBuffer(Gt06Acks.ack(0x13, 0x1234)), 1024))

        then:
        ack == new Gt06Frame(false, 0x13, new byte[0], 0x1234)
    }

    /** An independent bitwise CRC-16/X-25 for the expected values. */
    static String crc(String hex) {
        int crc = 0xFFFF
        for (byte b : SharedData.hex(hex)) {
            crc ^= (b & 0xFF)
            8.times { crc = (crc & 1) ? (crc >>> 1) ^ 0x8408 : crc >>> 1 }
        }
        String.format('%04x', crc ^ 0xFFFF)
    }
}
