package org.geoward.device.osmand

import org.geoward.device.DecodeException
import org.geoward.device.HttpReply
import org.geoward.device.SharedData

import groovy.json.JsonOutput
import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset
import org.geoward.sighting.Sighting
import spock.lang.Shared
import spock.lang.Specification

/** Replays the OsmAnd samples of Traccar's OsmAndProtocolDecoderTest (Apache-2.0), see SharedData. */
class OsmAndDecoderSpec extends Specification {

    static final Instant RECEIVED = Instant.parse('2024-05-01T08:00:00Z')

    @Shared def samples = SharedData.protocols('osmand_samples.json')
    def decoder = new OsmAndDecoder(Clock.fixed(RECEIVED, ZoneOffset.UTC))

    def "every query-string sample Traccar expects a position from decodes to its lat, lon and id"() {
        when:
        def position = decoder.decodeQuery(OsmAndDecoder.parseQuery(sample.request)).orElseThrow()

        then:
        def p = sample.params
        def latLon = p.location ? p.location.split(',') : [p.lat, p.lon]
        position.deviceId() == (p.id ?: p.deviceid)
        position.lat() == (latLon[0] as double)
        position.lon() == (latLon[1] as double)
        position.speed() == (p.speed == null ? null : (p.speed as double) * 1.852)
        position.altitude() == (p.altitude == null ? null : p.altitude as double)

        where:
        sample << samples.query_samples.findAll { it.verify == 'verifyPosition' }
    }

    def "a query-string sample with only cell towers and Wi-Fi (Traccar: verifyNotNull) is taken but yields no position"() {
        expect:
        decoder.decodeQuery(OsmAndDecoder.parseQuery(sample.request)).isEmpty()

        where:
        sample << samples.query_samples.findAll { it.verify == 'verifyNotNull' }
    }

    def "a query-string sample without device id (Traccar: verifyNull) is refused naming the missing parameter"() {
        when:
        decoder.decodeQuery(OsmAndDecoder.parseQuery(sample.request))

        then:
        def e = thrown(DecodeException)
        e.message.contains("'id' or 'deviceid'")

        where:
        sample << samples.query_samples.findAll { it.verify == 'verifyNull' }
    }

    def "the timestamp #timestamp is read as #expected"() {
        when:
        def query = "id=1&lat=1&lon=2" + (timestamp == null ? '' : "&timestamp=$timestamp")
        def position = decoder.decodeQuery(OsmAndDecoder.parseQuery(query)).orElseThrow()

        then:
        position.time() == Instant.parse(expected)
        position.extras().get('time') == (timestamp == null ? 'received' : null)

        where:
        timestamp                    || expected
        '1377177267'                 || '2013-08-22T13:14:27Z'
        '1442068686579'              || '2015-09-12T14:38:06.579Z'
        '2016-01-27T18%3A55%3A47Z'   || '2016-01-27T18:55:47Z'
        '2014-06-04+09%3A10%3A11'    || '2014-06-04T09:10:11Z'
        '2025-06-15T13:45:12.862Z'   || '2025-06-15T13:45:12.862Z'
        '2024-01-02T03:04:05%2B08:00' || '2024-01-01T19:04:05Z'
        null                         || '2024-05-01T08:00:00Z'
    }

    def "speed in knots, bearing, accuracy, battery and an SOS alarm become a position's fields"() {
        when:
        def query = 'id=123456789012345&timestamp=0&lat=31.5&lon=121.25&speed=10.0&bearing=90.5&altitude=12.0' +
                '&accuracy=8.0&batt=87&alarm=sos&hdop=1.2&ignition=true'
        def position = decoder.decodeQuery(OsmAndDecoder.parseQuery(query)).orElseThrow()

        then:
        position == Sighting.builder().device('123456789012345').time(Instant.EPOCH).at(121.25d, 31.5d)
                .accuracy(8.0d).speed(18.52d).heading(90.5d).altitude(12.0d).battery(87.0d).sos(true)
                .extras([alarm: 'sos', hdop: '1.2', ignition: 'true']).build()
    }

    def "the 0,0 that the Traccar Client sends before its first fix yields no position"() {
        expect:
        decoder.decodeQuery(OsmAndDecoder.parseQuery(
                'id=123456789012345&timestamp=0&lat=0.0&lon=0.0&speed=0.0&bearing=0.0&altitude=0.0&accuracy=0.0&batt=0.0'))
                .isEmpty()
    }

    def "a bad query '#query' is refused with a message naming #hint"() {
        when:
        decoder.decodeQuery(OsmAndDecoder.parseQuery(query))

        then:
        def e = thrown(DecodeException)
        e.message.contains(hint)

        where:
        query                                   || hint
        'id=7&lat=95&lon=30'                    || 'latitude 95.0 is outside [-90, 90]'
        'id=7&lat=45&lon=-181'                  || 'longitude -181.0 is outside [-180, 180]'
        'id=7&lat=NaN&lon=30'                   || 'latitude NaN'
        'id=7&lat=abc&lon=30'                   || "field 'lat' is not a number: 'abc'"
        'id=7&lat=45'                           || "has 'lat' without 'lon'"
        'id=7&location=45'                      || "'location' should be 'lat,lon'"
        'lat=45&lon=30'                         || "no device id"
        'id=7&lat=45&lon=30&timestamp=yesterday' || "field 'timestamp' is not a time: 'yesterday'"
        'id=7&lat=45&lon=30&timestamp=-9223372036854775808' || "field 'timestamp' is not a time: '-9223372036854775808'"
        'id=7&lat=45&lon=30&speed=fast'         || "field 'speed' is not a number"
    }

    def "every JSON sample decodes to the coordinates in its body"() {
        when:
        def positions = decoder.decodeJson(JsonOutput.toJson(sample.body))

        then:
        positions.size() == 1
        def position = positions[0]
        def coords = sample.body.location.coords
        position.deviceId() == sample.body.device_id
        position.lat() == coords.latitude as double
        position.lon() == coords.longitude as double
        position.time() == Instant.parse(sample.body.location.timestamp)
        position.accuracy() == coords.accuracy as double

        where:
        sample << samples.json_samples_transistorsoft_format
    }

    def "JSON speed in m/s, unknown heading -1 and battery fraction are converted"() {
        given:
        def sample = samples.json_samples_transistorsoft_format.find { it.body.device_id == '8737767034' }
        def unknown = samples.json_samples_transistorsoft_format.find { it.body.device_id == '658765' }

        when:
        def moving = decoder.decodeJson(JsonOutput.toJson(sample.body))[0]
        def still = decoder.decodeJson(JsonOutput.toJson(unknown.body))[0]

        then:
        Math.abs(moving.speed() - 18.67 * 3.6) < 1e-9
        moving.heading() == 63d
        Math.abs(moving.battery() - 79) < 1e-9
        moving.altitude() == 35.7d
        still.speed() == null
        still.heading() == null
        still.battery() == null
        still.extras().mock == 'true'
    }

    def "JSON extras keep their values as written (Traccar: verifyAttribute)"() {
        given:
        def sample = samples.json_samples_transistorsoft_format.find { it.body.location.extras }

        when:
        def position = decoder.decodeJson(JsonOutput.toJson(sample.body))[0]

        then:
        position.extras().subMap(sample.body.location.extras.keySet()) == [
                device_string_test          : 'long_device_id',
                device_bool_test            : 'true',
                device_bool_false_test      : 'false',
                device_integer_test         : '1',
                device_integer_twelve_test  : '12',
                device_double_test          : '1.345',
                device_very_long_double_test: '1763636.3442']
        position.extras().activity == 'still'
        position.battery() == 100d
    }

    def "a bad JSON body is refused with a message naming #hint"() {
        when:
        decoder.decodeJson(body)

        then:
        def e = thrown(DecodeException)
        e.message.contains(hint)

        where:
        body                                                                       || hint
        '{"location":{"coords":{"latitude":95,"longitude":1}},"device_id":"a"}'    || 'latitude 95.0 is outside'
        '{"location":{"coords":{"latitude":45,"longitude":1}}}'                    || "no device id"
        '{"location":{"coords":{"latitude":"x","longitude":1}},"device_id":"a"}'   || "'coords.latitude' is not a number"
        '{"location":{"timestamp":"soon","coords":{"latitude":1,"longitude":1}},"device_id":"a"}' || "'location.timestamp' is not a time"
        '{"location":{},"device_id":"a"}'                                          || "no 'location.coords'"
        '{"device_id":"a"}'                                                        || "no 'location'"
        '{"location": '                                                            || 'not valid JSON'
        ''                                                                         || 'body is empty'
    }

    def "the reply the app expects is HTTP 200 with an empty body"() {
        expect:
        OsmAndDecoder.reply() == new HttpReply(200, 'text/plain', '')
    }
}
