package org.geoward.device

import groovy.json.JsonOutput
import java.time.Instant
import spock.lang.Shared
import spock.lang.Specification

/** Replays OwnTracks samples of Traccar's OwnTracksProtocolDecoderTest (Apache-2.0), see SharedData. */
class OwnTracksDecoderSpec extends Specification {

    @Shared def samples = SharedData.protocols('owntracks_samples.json').samples
    def decoder = new OwnTracksDecoder()

    def "every OwnTracks location sample decodes to its coordinates and fix time"() {
        when:
        def position = decoder.decode(JsonOutput.toJson(sample)).orElseThrow()

        then:
        position.lat() == sample.lat as double
        position.lon() == sample.lon as double
        position.time() == Instant.ofEpochSecond(sample.tst as long)
        position.uniqueId() == (sample.topic ? sample.topic.replace('/', '-') : sample.tid)
        position.speedKmh() == (sample.vel == null ? null : sample.vel as double)
        position.batteryPercent() == (sample.batt == null ? null : sample.batt as double)

        where:
        sample << samples
    }

    def "a full location message fills every field"() {
        when:
        def position = decoder.decode('''{"_type":"location","acc":15,"alt":440,"batt":46,"conn":"w",
            "lat":46.0681247,"lon":11.1512805,"t":"u","tid":"5t","tst":1551874878,"vac":2,"vel":7,"cog":271}''')
                .orElseThrow()

        then:
        position == new DevicePosition('5t', Instant.ofEpochSecond(1551874878), 46.0681247d, 11.1512805d, 15d, 7d,
                271d, 440d, 46d, false, [conn: 'w', trigger: 'u', tid: '5t', vac: '2'])
    }

    def "a #type message is recognised and ignored"() {
        expect:
        decoder.decode(body).isEmpty()

        where:
        type         | body
        'waypoint'   | '{"_type":"waypoint","desc":"Home","lat":1,"lon":2,"rad":50,"tst":1}'
        'lwt'        | '{"_type":"lwt","tst":1}'
    }

    def "a transition is the fix that triggered it, with the event and the region kept"() {
        when: 'the booklet\'s transition: the phone left its region "Home"'
        def position = decoder.decode('''{"_type":"transition","event":"leave","desc":"Home","lat":29.7,"lon":107.39,
            "tst":1736161169,"wtst":1736000000,"acc":12,"t":"c","tid":"JJ"}''').orElseThrow()

        then:
        position.uniqueId() == 'JJ'
        position.time() == Instant.ofEpochSecond(1736161169)
        position.lat() == 29.7d
        position.lon() == 107.39d
        position.accuracyMeters() == 12d
        position.extras().event == 'leave'
        position.extras().desc == 'Home'
        position.extras().trigger == 'c'
    }

    def "over MQTT a message without tid takes the id the topic gave"() {
        expect:
        decoder.decode('{"_type":"location","lat":1,"lon":2,"tst":1}', 'alice').orElseThrow().uniqueId() == 'alice'
    }

    def "a malformed message is refused with a message naming #hint"() {
        when:
        decoder.decode(body)

        then:
        def e = thrown(DecodeException)
        e.message.contains(hint)

        where:
        body                                                          || hint
        '{"_type":"location","lat":95,"lon":2,"tst":1,"tid":"JJ"}'    || 'latitude 95.0 is outside [-90, 90]'
        '{"_type":"location","lat":1,"lon":2,"tst":1}'                || "no device id"
        '{"_type":"location","lat":1,"lon":2,"tst":"noon","tid":"JJ"}' || "needs 'tst' as integer epoch seconds"
        '{"_type":"location","lon":2,"tst":1,"tid":"JJ"}'             || "lacks 'lat' or 'lon'"
        '{"lat":1,"lon":2}'                                           || "has no '_type'"
        '[]'                                                          || 'must be a JSON object'
        '{"_type":'                                                   || 'not valid JSON'
    }

    def "the HTTP reply is an empty JSON array"() {
        expect:
        OwnTracksDecoder.reply() == new HttpReply(200, 'application/json', '[]')
    }
}
