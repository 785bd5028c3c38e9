package org.geoward.reliability

import groovy.json.JsonOutput
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.device.DeviceListeners
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Shared
import spock.lang.Specification

import java.time.Instant
import java.time.temporal.ChronoUnit

/**
 * Throws bad input at every door (the JSON API, fences, names, OsmAnd, GT06, track import) and checks each answer:
 * a 4xx (or the protocol's refusal) that says what is wrong and where, never a 500 or a hung request, and the good
 * item of a mixed batch still stored. Beside the hand-written cases, a corpus generated from a fixed seed (so a
 * failure names the case that reproduces it).
 */
@MicronautTest(transactional = false)
class FuzzSpec extends Specification {
    static final long SEED = 16
    static final double LON = 107.39, LAT = 29.70

    @Inject @Client("/") HttpClient http
    @Inject EmbeddedServer server
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DeviceListeners listeners

    @Shared Raw raw
    @Shared String admin
    @Shared String ward

    def setup() {
        if (raw == null) {
            raw = new Raw(server.URI)
            admin = Accounts.token(http, users, hasher, Role.ADMIN)
            ward = raw.post('/api/subjects', JsonOutput.toJson([kind: 'WARD', name: "fuzz-${UUID.randomUUID()}".toString()]), admin).json.id
        }
    }

    /** A good sighting of the spec's ward, {@code secondsAgo} before now (each call a different time). */
    Map good(long secondsAgo = 0) {
        [subjectId: ward, lon: LON, lat: LAT,
         time: Instant.now().minusSeconds(secondsAgo).truncatedTo(ChronoUnit.MILLIS).minusNanos(new Random().nextInt(999_999) * 1000L).toString()]
    }

    static boolean says(Raw.Answer a, String text) {
        a.json instanceof Map && (a.json.detail?.contains(text) || a.json.errors?.any { it.message?.contains(text) })
    }

    def "a request body the JSON API cannot take is a #status that says so: #what"() {
        when:
        def answer = raw.post('/api/sightings', body instanceof Closure ? body() : body, admin, type)

        then:
        answer.status == status
        answer.header('Content-Type').startsWith('application/problem+json')
        says(answer, text)

        where:
        what                       | body                                              | type               || status | text
        'malformed JSON'           | '[{"subjectId": "1", "lon": 107.39,'              | 'application/json' || 400    | 'not valid JSON'
        'a trailing comma'         | '{"subjectId": "1",}'                             | 'application/json' || 400    | 'not valid JSON'
        'the body null'            | 'null'                                            | 'application/json' || 400    | 'JSON null'
        'a bare number'            | '42'                                              | 'application/json' || 400    | 'one sighting object or an array'
        'a bare string'            | '"hello"'                                         | 'application/json' || 400    | 'one sighting object or an array'
        'an empty body'            | ''                                                | 'application/json' || 400    | 'the request body is empty'
        'a bare NaN'               | '{"lat": NaN}'                                    | 'application/json' || 400    | 'not valid JSON'
        'single quotes'            | "{'lat': 1}"                                      | 'application/json' || 400    | 'not valid JSON'
        'binary garbage'           | new byte[]{0, 1, 2, (byte) 0xff, (byte) 0xfe}     | 'application/json' || 400    | 'not valid JSON'
        'deep nesting (5,000)'     | '[' * 5000 + ']' * 5000                           | 'application/json' || 400    | 'JSON'
        '10,001 items'             | { JsonOutput.toJson((1..10_001).collect { [subjectId: '1'] }) } | 'application/json' || 413 | 'at most 10000'
        'a 21 MB body'             | { '[' + ('{"a":1},' * 3_000_000) + '{}]' }        | 'application/json' || 413    | ''
    }

    def "a bad sighting is rejected by index with the reason, and the good one beside it is stored: #what"() {
        given:
        Map item = good(60) + change

        when:
        def answer = raw.post('/api/sightings', JsonOutput.toJson([good(30), item]), admin)

        then:
        answer.status == 202
        answer.json.accepted == 1
        answer.json.rejected.size() == 1
        answer.json.rejected[0].index == 1
        answer.json.rejected[0].error.contains(text)

        where:
        what                          | change                                           || text
        'lat NaN as a string'         | [lat: 'NaN']                                     || 'lat NaN is not a finite number'
        'lon Infinity as a string'    | [lon: 'Infinity']                                || 'lon Infinity is not a finite number'
        'lat 95'                      | [lat: 95]                                        || 'lat 95 is out of range'
        'lat and lon swapped'         | [lat: LON, lon: LAT]                             || 'did you swap lon and lat?'
        'lon 181'                     | [lon: 181]                                       || 'lon 181 is out of range'
        'lat as words'                | [lat: 'north']                                   || "lat 'north' is not a number"
        'lat as an object'            | [lat: [deg: 29]]                                 || 'lat must be a number, not an object'
        'lat as true'                 | [lat: true]                                      || 'lat must be a number, not true'
        'no lat'                      | [lat: null]                                      || 'lat is required'
        'a day in the future'         | [time: Instant.now().plusSeconds(86_400).toString()] || 'minutes in the future'
        'the year 1900'               | [time: '1900-01-01T00:00:00Z']                   || 'before 1980-01-06T00:00:00Z (the GPS epoch)'
        'the Unix epoch'              | [time: '1970-01-01T00:00:00Z']                   || 'the device\'s clock is not set'
        'a time without a zone'       | [time: '2026-11-22T08:00:00']                    || 'not an ISO-8601 time with offset'
        'a numeric time'              | [time: 1764000000]                               || 'time must be an ISO-8601 string such as 2026-11-22T08:00:00Z, not 1764000000'
        'no time'                     | [time: null]                                     || 'time is required'
        'a negative subject id'       | [subjectId: -5]                                  || 'subjectId must be an id such as "42", not -5'
        'a huge subject id'           | [subjectId: 1e30]                                || 'not 1.0E30'
        'an id past Long.MAX_VALUE'   | [subjectId: '9223372036854775808']               || 'not "9223372036854775808"'
        'a subject id as an array'    | [subjectId: [1]]                                 || 'not an array'
        'an unknown subject'          | [subjectId: '987654321']                         || '987654321'
        'no subject, device or track' | [subjectId: null]                                || 'one of subjectId, deviceId or trackId is required'
        'two names'                   | [deviceId: 'x']                                  || 'give only one of'
        'a NUL in the device id'      | [subjectId: null, deviceId: 'ab\u0000cd']        || 'NUL character'
        'an unknown source'           | [source: 'RADAR']                                || "source 'RADAR' is not one of"
        'battery 150'                 | [battery: 150]                                   || 'battery 150 must be a percentage'
        'accuracy -1'                 | [accuracy: -1]                                   || 'accuracy -1 must be'
        'heading 400'                 | [heading: 400]                                   || 'heading 400 must be'
        'sos as a string'             | [sos: 'yes']                                     || 'sos must be true or false, not "yes"'
        'companions not an array'     | [companions: 5]                                  || 'companions must be an array of subject ids, not 5'
        'a 3,000-char evidence URL'   | [evidenceUrl: 'h' * 3000]                        || 'evidenceUrl is longer than 2048'
    }

    def "a name is at most 200 characters without NUL, and any other text is kept as sent: #what"() {
        when:
        def created = raw.post('/api/subjects', JsonOutput.toJson([kind: 'VISITOR', name: name]), admin)

        then:
        created.status == status
        status != 201 || created.json.name == name.trim()
        status == 201 || (created.json.errors[0].field == 'name' && says(created, text))

        where:
        what                    | name                                       || status | text
        'SQL-looking'           | "Robert'); DROP TABLE subject;-- ${UUID.randomUUID()}" || 201 | ''
        'emoji'                 | "👵🏻 王奶奶 ${UUID.randomUUID()}"            || 201    | ''
        'right-to-left'         | "جدة فاطمة ${UUID.randomUUID()}"           || 201    | ''
        'exactly 200 characters'| 'x' * 164 + UUID.randomUUID()              || 201    | ''
        '201 characters'        | 'x' * 201                                  || 400    | 'at most 200'
        '10,000 characters'     | 'x' * 10_000                               || 400    | '10000 characters'
        '1 MB'                  | 'x' * 1_000_000                            || 400    | 'at most 200'
        'a NUL inside'          | 'Wang\u0000Nainai'                         || 400    | 'NUL character'
        'only spaces'           | '   '                                      || 400    | 'required'
    }

    def "a fence that cannot be one is refused with a 4xx saying where: #what"() {
        when:
        def answer = raw.post('/api/fences', body instanceof Closure ? body() : JsonOutput.toJson(body), admin)

        then:
        answer.status == status
        says(answer, text)

        where:
        what                       | body                                                                  || status | text
        'an empty MultiPolygon'    | fence([type: 'MultiPolygon', coordinates: []])                        || 400    | ''
        'a bow-tie hole'           | fence([type: 'Polygon', coordinates: [square(0.01), [[LON - 0.005, LAT - 0.005], [LON + 0.005, LAT + 0.005], [LON + 0.005, LAT - 0.005], [LON - 0.005, LAT + 0.005], [LON - 0.005, LAT - 0.005]]]]) || 400 | 'Self-intersection'
        'a NUL in the name'        | fence(polygon(), 'Bank\u0000Zone')                                    || 400    | 'NUL character'
        'a 10,000-char name'       | fence(polygon(), 'n' * 10_000)                                        || 400    | 'at most 200'
        '1,000,000 vertices'       | { million() }                                                         || 413    | ''
    }

    def "a fence named like SQL, with emoji or right to left, is stored as sent: #what"() {
        when:
        def answer = raw.post('/api/fences', JsonOutput.toJson(fence(polygon(), name)), admin)

        then:
        answer.status == 201
        answer.json.properties.name == name

        where:
        what    | name
        'SQL'   | "x' OR '1'='1 ${UUID.randomUUID()}"
        'emoji' | "🌊 长江 ${UUID.randomUUID()}"
        'RTL'   | "منطقة ${UUID.randomUUID()}"
    }

    def "an OsmAnd request the listener cannot take is a 4xx saying what: #what"() {
        when:
        def answer = osmand(query)

        then:
        answer.status in statuses
        answer.text.contains(text)

        where:
        what               | query                                                                || statuses    | text
        'no id'            | "lat=$LAT&lon=$LON&timestamp=${Instant.now().epochSecond}"          || [400]       | 'id'
        'lat as words'     | "id=fuzz-1&lat=north&lon=$LON&timestamp=${Instant.now().epochSecond}" || [400, 401, 404] | ''
        'no query at all'  | ''                                                                   || [400]       | ''
        'garbage'          | '&&&===&id'                                                          || [400]       | ''
        'an unknown device'| "id=never-${UUID.randomUUID()}&lat=$LAT&lon=$LON&timestamp=${Instant.now().epochSecond}" || [401, 403, 404] | ''
    }

    def "GT06 garbage is refused without an answer and the listener keeps serving: #what"() {
        given:
        def address = listeners.gt06Address().orElseThrow()

        when:
        Socket socket = new Socket(address.address, address.port)
        socket.soTimeout = 30_000
        socket.outputStream.write(bytes)
        socket.outputStream.flush()
        int first = readOrClosed(socket)
        socket.close()
        Socket next = new Socket(address.address, address.port)

        then: 'no acknowledgement for garbage (the connection is closed, or nothing is sent)'
        first == -1 || first == -2
        next.connected

        cleanup:
        next?.close()

        where:
        what                   | bytes
        'random bytes'         | randomBytes(64, SEED)
        'a bad CRC on a login' | hex('78780D01012345678901234500018CDD0D0A')
        'truncated login'      | hex('78780D0101234567')
        'an oversized length'  | concat(hex('7979FFFF01'), randomBytes(32, SEED + 1))
    }

    def "a broken track import says which line and why, never a 500: #what"() {
        when:
        def answer = raw.post("/api/subjects/$ward/import", body, admin, type)

        then:
        answer.status in statuses
        answer.status != 500
        text == '' || answer.text.contains(text)

        where:
        what                 | type                  | body                                                     || statuses   | text
        'broken XML'         | 'application/gpx+xml' | '<gpx><trk><trkseg><trkpt lat="29.7" lon="107.39">'      || [400]      | ''
        'not XML at all'     | 'application/gpx+xml' | 'hello, world'                                           || [400]      | ''
        'wrong CSV columns'  | 'text/csv'            | 'name,age\nbob,3\n'                                      || [200, 400] | ''
        'an empty CSV'       | 'text/csv'            | ''                                                       || [200, 400] | ''
        'an unknown type'    | 'application/zip'     | 'PK\u0003\u0004'                                         || [400, 415] | ''
    }

    def "a generated corpus of #count mutated sightings (seed 16) never gets a 500, and each item is counted once"() {
        given:
        Random random = new Random(SEED)
        List failures = []

        when:
        count.times { int n ->
            Map item = good(3600 + n)
            int mutations = 1 + random.nextInt(3)
            mutations.times { item[pick(random, FIELDS)] = junk(random) }
            def answer = raw.post('/api/sightings', JsonOutput.toJson([item]), admin)
            boolean ok = answer.status == 202
                    ? answer.json.accepted + answer.json.duplicates + answer.json.rejected.size() == 1
                    : answer.status in [400, 413]
            if (!ok || (answer.json?.rejected && answer.json.rejected[0].error =~ /@[0-9a-f]{6,}|io\.micronaut|java\./)) {
                failures << "case $n: ${JsonOutput.toJson(item).take(200)} -> $answer"
            }
        }

        then:
        failures == []

        where:
        count = 300
    }

    def "a generated corpus of random bodies (seed 16) is refused with 400, never a 500"() {
        given:
        Random random = new Random(SEED)

        when:
        def statuses = (1..100).collect {
            raw.post('/api/sightings', randomJsonish(random), admin).status
        }

        then:
        statuses.every { it in [202, 400, 413] }
    }

    def "a time window beyond the years 0001-9999 is a 400 naming the parameter, never a 500: #param=#time on #path"() {
        when: 'a time PostgreSQL\'s timestamptz cannot hold (its range ends in 294276 AD) is asked for'
        def answer = raw.get("${path.replace('{ward}', ward)}?$param=${URLEncoder.encode(time, 'UTF-8')}", admin)

        then:
        answer.status == 400
        says(answer, "$param '$time' is outside the years 0001 to 9999")

        where:
        [path, param, time] << [
                ['/api/subjects/{ward}/track', '/api/alerts', '/api/audit', '/api/reports/response-times', '/api/reports/work-orders'],
                ['from', 'to'],
                ['-999999999-01-01T00:00:00Z', '+999999999-12-31T23:59:59Z', '+300000-01-01T00:00:00Z', '-0001-12-31T00:00:00Z']
        ].combinations()
    }

    def "the edges of the years a query may name are answered: #param=#time on #path"() {
        expect:
        raw.get("${path.replace('{ward}', ward)}?$param=${URLEncoder.encode(time, 'UTF-8')}", admin).status == 200

        where:
        [path, param, time] << [
                ['/api/subjects/{ward}/track', '/api/alerts', '/api/audit', '/api/reports/response-times', '/api/reports/work-orders'],
                ['from'],
                ['0001-01-01T00:00:00Z', '2026-01-01T08:00:00+08:00']
        ].combinations() + [
                ['/api/subjects/{ward}/track', '/api/alerts', '/api/audit', '/api/reports/response-times', '/api/reports/work-orders'],
                ['to'],
                ['9999-12-31T23:59:59Z']
        ].combinations()
    }

    def "ids, limits, offsets, bounding boxes and enums out of any range are answered (a filter matching nothing) or a 4xx, never a 500: #path"() {
        when:
        def answer = raw.get(path.replace('{ward}', ward), admin)

        then:
        answer.status in [200, 400, 404]
        answer.status == 200 || answer.header('Content-Type').startsWith('application/problem+json')

        where:
        path << ['2147483648', '-1', '99999999999999999999', 'abc', '1e3'].collectMany { n ->
            ["/api/subjects/{ward}/track?limit=$n", "/api/alerts?limit=$n", "/api/alerts?offset=$n", "/api/subjects?limit=$n",
             "/api/subjects?offset=$n", "/api/audit?limit=$n", "/api/audit?subjectId=$n", "/api/alerts?subjectId=$n",
             "/api/alerts?fenceId=$n", "/api/subjects/$n", "/api/alerts/$n", "/api/fences/$n", "/api/fences/$n/occupants",
             "/api/grids/$n", "/api/imports/$n", "/api/work-orders/$n", "/api/alerts/$n/nearest-officers",
             "/api/notifications?alertId=$n", "/api/subjects/$n/sensors"]*.toString()
        } + ['1e400,1', 'NaN,NaN', '200,200', '-91,0', ',', '1,2,3,4,5'].collect { "/api/alerts?bbox=$it".toString() } +
                ['/api/alerts?status=NOPE', '/api/alerts?type=NOPE', '/api/subjects?kind=NOPE', '/api/notifications?channel=NOPE']
    }

    // ---- helpers ----

    static final List<String> FIELDS = ['subjectId', 'deviceId', 'trackId', 'time', 'lon', 'lat', 'accuracy', 'source',
                                        'speed', 'heading', 'battery', 'companions', 'sos', 'phone', 'evidenceUrl']

    static String pick(Random r, List<String> from) { from[r.nextInt(from.size())] }

    /** A random JSON value of a random kind, including the edges that broke servers before. */
    static Object junk(Random r) {
        switch (r.nextInt(16)) {
            case 0: return null
            case 1: return r.nextBoolean()
            case 2: return r.nextLong()
            case 3: return -r.nextInt(1000)
            case 4: return r.nextDouble() * 1e300
            case 5: return 'NaN'
            case 6: return '-Infinity'
            case 7: return 'x' * r.nextInt(5000)
            case 8: return "\u0000${r.nextInt()}".toString()
            case 9: return [r.nextInt(), 'a', null]
            case 10: return [k: [k: [k: r.nextInt()]]]
            case 11: return "1${'0' * 30}".toString()
            case 12: return Instant.ofEpochSecond(r.nextInt()).toString()
            case 13: return '2026-02-30T25:61:00Z'
            case 14: return "' OR 1=1 --"
            default: return '👵🏻\u202Eabc'
        }
    }

    static String randomJsonish(Random r) {
        String alphabet = '{}[]":,0123456789.eE+-ntrufalsNI \\\u0000é👵'
        StringBuilder sb = new StringBuilder()
        (r.nextInt(200)).times { sb.append(alphabet.charAt(r.nextInt(alphabet.length()))) }
        sb.toString()
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n]
        new Random(seed).nextBytes(b)
        b
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length)
        System.arraycopy(b, 0, out, a.length, b.length)
        out
    }

    static byte[] hex(String s) {
        s.decodeHex()
    }

    /** The first byte the server sends, -1 when it closes the connection, -2 when it sends nothing for 3 s. */
    static int readOrClosed(Socket socket) {
        socket.soTimeout = 3000
        try {
            return socket.inputStream.read()
        } catch (SocketTimeoutException ignored) {
            return -2
        } catch (IOException ignored) {
            return -1
        }
    }

    Raw.Answer osmand(String query) {
        def address = listeners.osmandAddress().orElseThrow()
        new Raw(URI.create("http://127.0.0.1:${address.port}/")).get(query ? "/?$query" : '/')
    }

    static List square(double half) {
        [[LON - half, LAT - half], [LON + half, LAT - half], [LON + half, LAT + half], [LON - half, LAT + half], [LON - half, LAT - half]]
    }

    static Map polygon() { [type: 'Polygon', coordinates: [square(0.002)]] }

    static Map fence(Map geometry, String name = "fuzz-${UUID.randomUUID()}".toString()) {
        [type: 'Feature', geometry: geometry, properties: [name: name, kind: 'SAFE']]
    }

    static String million() {
        StringBuilder sb = new StringBuilder('{"type":"Feature","properties":{"name":"big","kind":"SAFE"},"geometry":{"type":"Polygon","coordinates":[[')
        int n = 1_000_000
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n
            sb.append('[').append(LON + 0.01 * Math.cos(a)).append(',').append(LAT + 0.01 * Math.sin(a)).append('],')
        }
        sb.append('[').append(LON + 0.01).append(',').append(LAT).append(']]]}}')
        sb.toString()
    }
}
