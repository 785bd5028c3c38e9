package org.geoward.device.owntracks

import groovy.json.JsonOutput
import io.micronaut.context.annotation.Property
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import java.time.Instant
import java.time.temporal.ChronoUnit
import org.geoward.reliability.FuzzSpec
import org.geoward.reliability.Raw
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Timeout

/**
 * The OwnTracks doors fed garbage: the HTTP door ({@code POST /ingest/owntracks}) answers every bad message with a
 * 4xx problem saying what is wrong (401 for bad credentials), never a 500; the MQTT door (its message handler, as the
 * broker's callback calls it) refuses bad payloads for good, so they are acknowledged and never redelivered for ever,
 * and never throws. Good messages beside the bad ones are stored, and only they. A generated corpus (seed 16) of
 * mutated location messages goes through both doors. The broker URL points nowhere: the handler is called directly.
 */
@MicronautTest(transactional = false)
@Property(name = "geoward.mqtt.url", value = "tcp://127.0.0.1:9")
@Property(name = "geoward.mqtt.max-backoff", value = "60s")
@Timeout(120)
class OwnTracksFuzzSpec extends Specification {
    static final double LON = 107.39, LAT = 29.70

    @Inject @Client("/") HttpClient http
    @Inject EmbeddedServer server
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject OwnTracksMqtt mqtt

    @Shared Raw raw
    @Shared String admin
    @Shared long ward
    @Shared String uniqueId
    @Shared String basic
    @Shared long mqttWard
    @Shared String mqttUser

    def setup() {
        if (raw == null) {
            raw = new Raw(server.URI)
            admin = Accounts.token(http, users, hasher, Role.ADMIN)
            ward = subject()
            uniqueId = "ot-fuzz-${UUID.randomUUID()}".toString()
            def device = raw.post('/api/devices', JsonOutput.toJson([uniqueId: uniqueId, protocol: 'OWNTRACKS', subjectId: ward]), admin)
            assert device.status == 201: device
            basic = 'Basic ' + Base64.encoder.encodeToString("$uniqueId:${device.json.token}".getBytes('UTF-8'))
            mqttWard = subject()
            mqttUser = "otmqtt${UUID.randomUUID().toString().take(8)}".toString()
            def phone = raw.post('/api/devices', JsonOutput.toJson([uniqueId: mqttUser, protocol: 'OWNTRACKS', subjectId: mqttWard]), admin)
            assert phone.status == 201: phone
        }
    }

    long subject() {
        def reply = raw.post('/api/subjects', JsonOutput.toJson([kind: 'WARD', name: "ot-fuzz-${UUID.randomUUID()}".toString(), offlineMinutes: 100_000]), admin)
        assert reply.status == 201: reply
        reply.json.id as long
    }

    /** A good location message, {@code secondsAgo} before now. */
    static Map location(long secondsAgo) {
        [_type: 'location', lat: LAT, lon: LON, tst: Instant.now().minusSeconds(secondsAgo).epochSecond, acc: 10, tid: 'fz']
    }

    Raw.Answer owntracks(Object body, String authorization = basic) {
        raw.send('POST', '/ingest/owntracks', body, null, 'application/json', authorization ? [Authorization: authorization] : [:])
    }

    int trackSize(long subject) {
        def from = Instant.now().minus(30, ChronoUnit.DAYS)
        def answer = raw.get("/api/subjects/$subject/track?from=$from&to=${Instant.now().plusSeconds(600)}", admin)
        assert answer.status == 200: answer
        (answer.json.features ?: []).size()
    }

    def "a message the OwnTracks HTTP door cannot take is a #status problem saying what: #what"() {
        given:
        int before = trackSize(ward)

        when:
        def answer = owntracks(body instanceof Closure ? body() : body, auth == 'good' ? basic : auth)

        then:
        answer.status == status
        answer.header('Content-Type').startsWith('application/problem+json')
        answer.text.contains(text)
        !(answer.text =~ /@[0-9a-f]{6,}|io\.micronaut|java\./)
        trackSize(ward) == before

        where:
        what                      | auth                             | body                                                             || status | text
        'not JSON'                | 'good'                           | 'lat=29.7&lon=107.39'                                            || 400    | 'JSON'
        'a JSON array'            | 'good'                           | '[{"_type":"location"}]'                                         || 400    | "JSON object with '_type'"
        'JSON null'               | 'good'                           | 'null'                                                           || 400    | "JSON object with '_type'"
        'no _type'                | 'good'                           | '{"lat":29.7,"lon":107.39}'                                      || 400    | "no '_type'"
        'no lat'                  | 'good'                           | { JsonOutput.toJson(location(60) - [lat: LAT]) }                 || 400    | "lacks 'lat' or 'lon'"
        'lat as words'            | 'good'                           | { JsonOutput.toJson(location(60) + [lat: 'north']) }             || 400    | 'lat'
        'lat 95'                  | 'good'                           | { JsonOutput.toJson(location(60) + [lat: 95]) }                  || 400    | '95'
        'lon 181'                 | 'good'                           | { JsonOutput.toJson(location(60) + [lon: 181]) }                 || 400    | '181'
        'a bare NaN'              | 'good'                           | '{"_type":"location","lat":NaN,"lon":107.39,"tst":1}'            || 400    | 'JSON'
        'tst as a string'         | 'good'                           | { JsonOutput.toJson(location(60) + [tst: '2026-01-01T00:00:00Z']) } || 400 | "'tst' as integer epoch seconds"
        'tst with a fraction'     | 'good'                           | { JsonOutput.toJson(location(60) + [tst: 1.5]) }                 || 400    | "'tst'"
        'tst overflowing a long'  | 'good'                           | { JsonOutput.toJson(location(60)).replaceFirst(/"tst":\d+/, '"tst":1' + '0' * 30) } || 400 | "'tst'"
        'tst 0 (1970)'            | 'good'                           | { JsonOutput.toJson(location(60) + [tst: 0]) }                   || 400    | '1980'
        'tst beyond any Instant'  | 'good'                           | { JsonOutput.toJson(location(60) + [tst: Long.MAX_VALUE]) }      || 400    | "not integer epoch seconds"
        'tst before any Instant'  | 'good'                           | { JsonOutput.toJson(location(60) + [tst: Long.MIN_VALUE]) }      || 400    | "not integer epoch seconds"
        'tst a day ahead'         | 'good'                           | { JsonOutput.toJson(location(-86_400)) }                         || 400    | 'future'
        'battery as words'        | 'good'                           | { JsonOutput.toJson(location(60) + [batt: 'full']) }             || 400    | 'batt'
        'deep nesting'            | 'good'                           | '[' * 5000 + ']' * 5000                                          || 400    | 'JSON'
        'no credentials'          | null                             | { JsonOutput.toJson(location(60)) }                              || 401    | 'HTTP Basic'
        'a bearer token'          | 'Bearer abc'                     | { JsonOutput.toJson(location(60)) }                              || 401    | 'HTTP Basic'
        'Basic not Base64'        | 'Basic %%%'                      | { JsonOutput.toJson(location(60)) }                              || 401    | 'Base64'
        'Basic without a colon'   | 'Basic ' + 'abc'.bytes.encodeBase64() | { JsonOutput.toJson(location(60)) }                         || 401    | 'uniqueId:token'
        'a wrong token'           | 'Basic ' + 'x:y'.bytes.encodeBase64() | { JsonOutput.toJson(location(60)) }                         || 401    | 'not registered'
    }

    def "a message of another type or with odd extras is answered [] and only locations are stored: #what"() {
        given:
        int before = trackSize(ward)

        when:
        def answer = owntracks(JsonOutput.toJson(body))

        then:
        answer.status == 200
        answer.text == '[]'
        trackSize(ward) == before + stored

        where:
        what                       | body                                                                          || stored
        'a waypoint'               | [_type: 'waypoint', desc: 'Home', lat: LAT, lon: LON, rad: 50, tst: 1]        || 0
        'an unknown type'          | [_type: 'xyz', lat: 'garbage']                                                || 0
        'a type that is a number'  | [_type: 7]                                                                    || 0
        'SQL, emoji, RTL in extras'| location(120) + [desc: "' OR 1=1 -- 👵🏻\u202Eabc", inregions: ['a', 'b']] || 1
        'a 10,000-character tid'   | location(180) + [tid: 'x' * 10_000]                                           || 1
    }

    def "a payload the MQTT door cannot take is refused for good (acknowledged, not redelivered), never thrown: #what"() {
        given:
        int before = trackSize(mqttWard)

        when:
        long t0 = System.nanoTime()
        boolean acknowledged = mqtt.handle(topic ?: "owntracks/$mqttUser/phone", payload instanceof Closure ? payload() : payload)
        long millis = (System.nanoTime() - t0) / 1_000_000

        then:
        acknowledged
        millis < 5_000
        trackSize(mqttWard) == before + stored

        where:
        what                      | topic                     | payload                                                  || stored
        'not JSON'                | null                      | 'hello' || 0
        'empty'                   | null                      | '' || 0
        'JSON null'               | null                      | 'null' || 0
        'an array'                | null                      | '[1,2]' || 0
        'no _type'                | null                      | '{"lat":29.7}' || 0
        'lat 95'                  | null                      | { JsonOutput.toJson(location(60) + [lat: 95]) } || 0
        'tst as words'            | null                      | { JsonOutput.toJson(location(60) + [tst: 'yesterday']) } || 0
        'tst 0 (1970)'            | null                      | { JsonOutput.toJson(location(60) + [tst: 0]) } || 0
        'tst beyond any Instant'  | null                      | { JsonOutput.toJson(location(60) + [tst: Long.MAX_VALUE]) } || 0
        'binary garbage'          | null                      | new String([0, 1, 2, -1, -2] as byte[], 'ISO-8859-1') || 0
        'NUL in the tid (kept)'   | null                      | { JsonOutput.toJson(location(60) + [tid: "a\u0000b"]) } || 1
        'a topic without device'  | 'owntracks/someone'       | { JsonOutput.toJson(location(60)) } || 0
        'a topic of another app'  | 'home/kitchen/temperature'| { JsonOutput.toJson(location(60)) } || 0
        'an unregistered user'    | 'owntracks/nobody-here/phone' | { JsonOutput.toJson(location(60)) } || 0
        'a good location'         | null                      | { JsonOutput.toJson(location(240)) } || 1
    }

    def "a generated corpus (seed 16) of 200 mutated locations through both doors: never a 500, never thrown, Java never shown"() {
        given:
        Random random = new Random(FuzzSpec.SEED)
        List<String> failures = []
        List<String> fields = ['_type', 'lat', 'lon', 'tst', 'acc', 'batt', 'vel', 'cog', 'alt', 'tid', 'topic', 't']

        when:
        200.times { int n ->
            Map message = location(3_600 + n)
            (1 + random.nextInt(3)).times { message[FuzzSpec.pick(random, fields)] = FuzzSpec.junk(random) }
            String body = JsonOutput.toJson(message)
            def answer = owntracks(body)
            if (!(answer.status in [200, 400, 413]) || answer.text =~ /@[0-9a-f]{6,}|io\.micronaut|java\./) {
                failures << "http case $n: ${body.take(200)} -> $answer"
            }
            try {
                if (!mqtt.handle("owntracks/$mqttUser/phone", body)) {
                    failures << "mqtt case $n: not acknowledged: ${body.take(200)}"
                }
            } catch (Throwable e) {
                failures << "mqtt case $n: threw $e: ${body.take(200)}"
            }
        }

        then:
        failures == []
    }
}
