package org.geoward.device.owntracks

import org.geoward.device.DecodeException
import org.geoward.device.HttpReply
import org.geoward.device.SharedData

import groovy.json.JsonOutput
import java.time.Instant
import org.geoward.sighting.Sighting
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
        position.deviceId() == (sample.topic ? sample.topic.replace('/', '-') : sample.tid)
        position.speed() == (sample.vel == null ? null : sample.vel as double)
        position.battery() == (sample.batt == null ? null : sample.batt as double)

        where:
        sample << samples
    }

    def "a full location message fills every field"() {
        when:
        def position = decoder.decode('''{"_type":"location","acc":15,"alt":440,"batt":46,"conn":"w",
            "lat":46.0681247,"lon":11.1512805,"t":"u","tid":"5t","tst":1551874878,"vac":2,"vel":7,"cog":271}''')
                .orElseThrow()

        then:
        position == Sighting.builder().device('5t').time(Instant.ofEpochSecond(1551874878)).at(11.1512805d, 46.0681247d)
                .accuracy(15d).speed(7d).heading(271d).altitude(440d).battery(46d)
                .extras([conn: 'w', trigger: 'u', tid: '5t', vac: '2']).build()
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
        position.deviceId() == 'JJ'
        position.time() == Instant.ofEpochSecond(1736161169)
        position.lat() == 29.7d
        position.lon() == 107.39d
        position.accuracy() == 12d
        position.extras().event == 'leave'
        position.extras().desc == 'Home'
        position.extras().trigger == 'c'
    }

    def "over MQTT a message without tid takes the id the topic gave"() {
        expect:
        decoder.decode('{"_type":"location","lat":1,"lon":2,"tst":1}', 'alice').orElseThrow().deviceId() == 'alice'
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
        '{"_type":"location","lat":1,"lon":2,"tst":9223372036854775807,"tid":"JJ"}' || "not integer epoch seconds"
        '{"_type":"location","lat":1,"lon":2,"tst":-9223372036854775808,"tid":"JJ"}' || "not integer epoch seconds"
    }

    def "the HTTP reply is an empty JSON array"() {
        expect:
        OwnTracksDecoder.reply() == new HttpReply(200, 'application/json', '[]')
    }
}
