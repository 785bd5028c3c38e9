package org.geoward.device.gt06

import org.geoward.device.DecodeException
import org.geoward.device.SharedData

import io.netty.buffer.Unpooled
import java.time.Instant
import spock.lang.Shared
import spock.lang.Specification

/** Replays the 187 GT06 frames of Traccar's Gt06ProtocolDecoderTest (Apache-2.0), see SharedData. */
class Gt06SamplesSpec extends Specification {

    @Shared List frames = SharedData.protocols('gt06_samples.json')
    def decoder = new Gt06MessageDecoder()

    /** Frames and decodes one sample: a Gt06Message, a DecodeException, a FrameException, or 'incomplete'. */
    def classify(String hex) {
        def buf = Unpooled.wrappedBuffer(SharedData.hex(hex))
        try {
            def frame = Gt06FrameDecoder.read(buf, Gt06FrameDecoder.DEFAULT_MAX_FRAME_BYTES)
            if (frame == null) {
                return 'incomplete'
            }
            return decoder.decode(frame)
        } catch (DecodeException | Gt06FrameDecoder.FrameException e) {
            return e
        }
    }

    def "the frame 78781f12… decodes to 54.94535 N, 24.01762 E at 2015-10-20 14:21:11 UTC"() {
        when:
        def location = classify('78781f120f0a140e150bc505e51e780293a9e800540000f601006e0055da00035f240d0a')

        then:
        location instanceof Gt06Message.Location
        location.time() == Instant.parse('2015-10-20T14:21:11Z')
        Math.abs(location.lat() - 54.94535) < 1e-5
        Math.abs(location.lon() - 24.01762) < 1e-5
        location.valid()
        location.satellites() == 5
    }

    def "a #sample.protocol sample whose CRC checks is decoded or cleanly classified"() {
        when:
        def outcome = classify(sample.hex)

        then: 'a message, or a DecodeException explaining why; never a framing error or a crash'
        outcome instanceof Gt06Message || outcome instanceof DecodeException

        where:
        sample << frames.findAll { it.crc_ok == true }
    }

    def "a #sample.protocol sample with a bad CRC is refused, for its CRC or for framing that is not GT06's"() {
        when:
        def outcome = classify(sample.hex)

        then: 'Wi-Fi frames 0x17/0x69 of some devices declare length 0 or 3 and carry no CRC: not framable'
        outcome instanceof Gt06FrameDecoder.FrameException
        outcome.isFatal() || outcome.message.contains('does not match the computed')

        where:
        sample << frames.findAll { it.crc_ok == false }
    }

    def "a #sample.protocol sample without a stated CRC verdict is framed, refused for its CRC, or incomplete"() {
        when:
        def outcome = classify(sample.hex)

        then:
        outcome instanceof Gt06Message || outcome instanceof DecodeException || outcome == 'incomplete' ||
                (outcome instanceof Gt06FrameDecoder.FrameException && !outcome.isFatal())

        where:
        sample << frames.findAll { it.crc_ok == null }
    }

    def "a standard-layout GPS sample (#sample.protocol) decodes to the position read out independently"() {
        when:
        def location = classify(sample.hex)

        then:
        def expected = sample.decoded_by_us
        location instanceof Gt06Message.Location
        location.time() == Instant.parse(expected.time_utc)
        Math.abs(location.lat() - expected.lat) < 1e-5
        Math.abs(location.lon() - expected.lon) < 1e-5
        location.speedKmh() == expected.speed_kph
        location.course() == expected.course
        location.valid() == expected.valid
        location.satellites() == expected.satellites

        where:
        sample << frames.findAll { it.decoded_by_us && it.crc_ok }
    }

    def "a non-standard layout (#sample.protocol with an IMEI inside) is refused with a DecodeException"() {
        when:
        def outcome = classify(sample.hex)

        then:
        outcome instanceof DecodeException
        outcome.message.contains('impossible date')

        where:
        sample << frames.findAll { it.not_standard_layout_raw && it.crc_ok }
    }

    def "a login sample yields IMEI #sample.imei"() {
        expect:
        classify(sample.hex) == new Gt06Message.Login(1, serial(sample.hex), sample.imei)

        where:
        sample << frames.findAll { it.imei && it.crc_ok }
    }

    def "an alarm sample Traccar reads as SOS is an SOS position"() {
        when:
        def location = classify(sample.hex)

        then:
        location.alarm() == Gt06Alarm.SOS
        location.toPosition('123', null).sos()

        where:
        sample << frames.findAll { it.crc_ok && it.test_expectation == 'Position.KEY_ALARM, Position.ALARM_SOS' }
    }

    def "the #sample.protocol sample with battery level #sample.test_expectation reports that percentage"() {
        when:
        def message = classify(sample.hex)

        then:
        message.batteryPercent() == (sample.test_expectation.split(', ')[1] as double)

        where:
        sample << frames.findAll { it.crc_ok && it.test_expectation?.startsWith('Position.KEY_BATTERY_LEVEL') }
    }

    def "the empty 0x12 frame (Traccar: verifyNull) is ignored as carrying no GPS data"() {
        expect:
        classify('787805120099abec0d0a') == new Gt06Message.Ignored(0x12, 0x0099, 'no GPS data')
    }

    def "counts of how the samples are classified"() {
        when:
        def counts = frames.countBy { sample ->
            def outcome = classify(sample.hex)
            outcome instanceof String ? outcome
                    : outcome instanceof Gt06FrameDecoder.FrameException ? (outcome.isFatal() ? 'unframable' : 'badCrc')
                    : outcome.getClass().simpleName
        }
        println "GT06 sample classification: $counts"

        then:
        counts.values().sum() == 187
    }

    static int serial(String hex) {
        Integer.parseInt(hex.substring(hex.length() - 12, hex.length() - 8), 16)
    }
}
