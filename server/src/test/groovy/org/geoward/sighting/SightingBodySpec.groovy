package org.geoward.sighting

import io.micronaut.core.type.Argument
import io.micronaut.json.JsonMapper
import io.micronaut.json.tree.JsonNode
import org.geoward.problem.ProblemException
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification

import java.nio.charset.StandardCharsets
import java.time.Instant

/**
 * The streaming reader of {@code POST /api/sightings} bodies reads every body as the tree reader before it did
 * (Micronaut's JSON tree, then {@link SightingJson} per item): the same sightings, the same reasons per item, the
 * same refusals of the whole body.
 */
class SightingBodySpec extends Specification {
    @Shared JsonMapper mapper = JsonMapper.createDefault()

    /** What the controller did before: the whole body as a tree, then each item. */
    String treeRead(byte[] body) {
        if (body == null || body.length == 0) {
            return "400: the request body is empty: send a sighting or an array"
        }
        JsonNode root
        try {
            root = mapper.readValue(body, Argument.of(JsonNode))
        } catch (IOException e) {
            String reason = e.message == null ? '' : e.message.lines().findFirst().orElse('')
            return "400: the request body is not valid JSON: " + reason + " (body starts with '" +
                    new String(body, 0, Math.min(body.length, 40), StandardCharsets.UTF_8) + "')"
        }
        if (root == null || root.isNull()) {
            return "400: the request body is JSON null: send a sighting or an array"
        }
        List<JsonNode> items = []
        if (root.isArray()) {
            if (root.size() > SightingService.MAX_BATCH) {
                return "413: a batch holds at most 10000 sightings; this one has ${root.size()}: split it"
            }
            root.values().each { items << it }
        } else if (root.isObject()) {
            items << root
        } else {
            return "400: send one sighting object or an array of them"
        }
        List<String> out = []
        items.eachWithIndex { JsonNode item, int i ->
            try {
                out << SightingJson.read(item).toString()
            } catch (IllegalArgumentException e) {
                out << "refused: " + e.message
            }
        }
        out.join('\n')
    }

    String streamRead(byte[] body) {
        SightingBody.Items items
        try {
            items = SightingBody.read(body)
        } catch (ProblemException e) {
            return "${e.status().code}: ${e.message}"
        }
        (0..<items.sightings().size()).collect { i ->
            items.refused().containsKey(i) ? "refused: " + items.refused()[i] : items.sightings()[i].toString()
        }.join('\n')
    }

    def "the streaming reader reads #body as the tree reader did"() {
        given:
        byte[] bytes = body instanceof byte[] ? body : body.toString().getBytes(StandardCharsets.UTF_8)

        expect:
        streamRead(bytes) == treeRead(bytes)

        where:
        body << [
                '{"subjectId": 1, "time": "2026-11-22T08:00:00Z", "lon": 107.39, "lat": 29.7}',
                '[{"subjectId": "1", "time": " 2026-11-22T08:00:00.123456789+08:00 ", "lon": "107.39", "lat": 29}]',
                '[{"deviceId": 861234, "trackId": "cam-1", "phone": 139, "evidenceUrl": "https://x/y", "sos": true}]',
                '{"subjectId": 7, "accuracy": 5, "speed": 1.5e1, "heading": -0.0, "battery": "NaN", "source": " camera "}',
                '{"subjectId": 7, "source": ""}', '{"subjectId": 7, "source": 5}', '{"subjectId": 7, "source": "RADAR"}',
                '{"subjectId": 7, "companions": [1, "2", 3]}', '{"subjectId": 7, "companions": []}',
                '{"subjectId": 7, "companions": [1, [2], {"a": 1}]}', '{"subjectId": 7, "companions": [1, -2, "x"]}',
                '{"subjectId": 7, "companions": 5}', '{"subjectId": 7, "companions": {"a": [1]}}',
                '{"subjectId": 7, "companions": null}',
                '{"subjectId": -5}', '{"subjectId": 1e30}', '{"subjectId": 42.0}', '{"subjectId": "9223372036854775808"}',
                '{"subjectId": 123456789012345678901234567890}', '{"subjectId": [1]}', '{"subjectId": {"id": 1}}',
                '{"subjectId": true}', '{"subjectId": " 42 "}', '{"subjectId": "０４２"}', '{"subjectId": ""}',
                '{"lat": "abc", "lat": 29.7, "subjectId": 1}', '{"lat": 29.7, "lat": "abc"}', '{"lat": 1, "lat": null}',
                '{"lat": {"deg": 29}, "lon": [1, 2], "time": 5}', '{"time": 1764000000}', '{"time": "2026-11-22T08:00:00"}',
                '{"time": ["x"]}', '{"time": "  "}', '{"lat": 1e400, "lon": -1e400}', '{"lat": 0.1e-400}',
                '{"lat": 12345678901234567890123}', '{"sos": "yes"}', '{"sos": 1}', '{"sos": false}', '{"sos": null}',
                '{"deviceId": "ab\\u0000cd"}', '{"deviceId": {"x": 1}}', '{"deviceId": true}',
                '{"phone": "' + 'p' * 100 + '", "deviceId": ["' + 'q' * 100 + '"]}',
                '{"deviceId": "' + 'q' * 100 + '", "sos": "' + 'r' * 100 + '"}',
                '{"evidenceUrl": "' + 'h' * 3000 + '"}',
                '{"unknown": {"deep": [1, 2, {"x": null}]}, "subjectId": 3, "other": [[], {}]}',
                '{"subjectId": 3, "extras": {"a": 1}, "deviceRow": 99, "altitude": 12}',
                '[]', '{}', '[{}]', '[1, "x", null, true, [], {}, [{"subjectId": 1}]]', '[null]',
                '{"subjectId": "1",}', '[{"subjectId": "1", "lon": 107.39,', '{"lat": NaN}', "{'lat': 1}",
                '[1, 2', '{"a": 1', '{"a"}', '{"subjectId": 1} {"subjectId": 2}', '[] x', '{} ]', '42', '"hello"',
                'null', 'true', '', '   ', '-', '[' * 5000 + ']' * 5000, '[' * 400 + ']' * 400,
                '{"a": ' + '[' * 2000 + ']' * 2000 + '}', '42 43', '"unterminated', '{"subjectId": 1, "lat": 01}',
                '\uFEFF{"subjectId": 1}', '{"subjectId": 1, "name": "王奶奶 👵🏻"}', '{"trackId": "轨迹-1"}',
                new byte[]{0, 1, 2, (byte) 0xff, (byte) 0xfe},
                new byte[]{'{' as char, '"' as char, 'd' as char, '"' as char, ':' as char, '"' as char, (byte) 0xc3, '"' as char, '}' as char},
                (1..10_001).collect { '{"subjectId": "1"}' }.join(',').with { "[$it]" },
                (1..10_000).collect { '{"subjectId": "1"}' }.join(',').with { "[$it]" },
                (1..10_002).collect { '{"subjectId": "1"}' }.join(',').with { "[$it" },
        ]
    }

    def "the quick time reader gives #text the instant OffsetDateTime.parse gives, or leaves it to it"() {
        given:
        Instant parsed
        try {
            parsed = java.time.OffsetDateTime.parse(text).toInstant()
        } catch (java.time.format.DateTimeParseException ignored) {
            parsed = null
        }

        expect: 'where the quick reader answers, it answers as the formatter; it answers the common shapes'
        Instant quick = SightingBody.commonTime(text)
        quick == null || quick == parsed
        (quick != null) == common

        where:
        text                                  || common
        '2026-11-22T08:00:00Z'                || true
        '2026-11-22T08:00:00.5Z'              || true
        '2026-11-22T08:00:00.123456789Z'      || true
        '2026-11-22T08:00:00.1234567891Z'     || false
        '2026-11-22T08:00:00.Z'               || false
        '2026-11-22T08:00:00+08:00'           || true
        '2026-11-22T08:00:00.250-03:30'       || true
        '2026-11-22T08:00:00-00:00'           || true
        '2026-11-22T08:00:00+18:00'           || false
        '2026-11-22T08:00:00+0800'            || false
        '2026-11-22T08:00Z'                   || false
        '2026-11-22t08:00:00z'                || false
        '2026-11-22T08:00:00'                 || false
        '2024-02-29T23:59:59Z'                || true
        '2026-02-29T12:00:00Z'                || false
        '2026-04-31T12:00:00Z'                || false
        '2026-13-01T12:00:00Z'                || false
        '2026-11-22T24:00:00Z'                || false
        '2026-11-22T08:60:00Z'                || false
        '2026-11-22T08:00:60Z'                || false
        '1970-01-01T00:00:00Z'                || true
        '1979-12-31T23:59:59.999999999+01:00' || true
        '0000-01-01T00:00:00Z'                || true
        '9999-12-31T23:59:59Z'                || true
        '+12026-11-22T08:00:00Z'              || false
        '２０２６-11-22T08:00:00Z'              || false
        '2026-11-22T08:00:00Z '               || false
    }

    /**
     * Benchmark (GEOWARD_BENCH=1): decoding a 500-fix body as IngestBenchmarkSpec sends it, by the tree reader and by
     * the streaming reader, interleaved in 5 rounds of 400 bodies each way, after 2,000 of each to warm the JIT up.
     */
    @Requires({ env.GEOWARD_BENCH })
    def "decoding a body of 500 fixes: the streaming reader against the tree reader"() {
        given:
        byte[] body = ('[' + (0..<500).collect { i ->
            String.format(Locale.ROOT, '{"subjectId":%d,"time":"2026-12-05T0%d:%02d:%02dZ","lon":%.6f,"lat":%.6f,' +
                    '"accuracy":%.1f,"source":"GPS"}', 1000 + i, i % 10, i % 60, (i * 7) % 60, 107.2 + i * 1e-4,
                    29.55 + i * 1e-4, 5.0 + (i % 10))
        }.join(',') + ']').getBytes(StandardCharsets.UTF_8)
        Closure<Long> tree = { int n -> long t = System.nanoTime(); n.times { assert treeItems(body) == 500 }; System.nanoTime() - t }
        Closure<Long> stream = { int n -> long t = System.nanoTime(); n.times { assert SightingBody.read(body).sightings().size() == 500 }; System.nanoTime() - t }
        tree(2000)
        stream(2000)

        when:
        List<Double> ratios = []
        List<String> lines = []
        5.times { r ->
            long a = r % 2 == 0 ? tree(400) : 0, b = stream(400)
            if (r % 2 == 1) {
                a = tree(400)
            }
            ratios << (a / (double) b)
            lines << String.format(Locale.ROOT, 'round %d: tree %.2f µs/fix, streaming %.2f µs/fix, x%.2f', r + 1,
                    a / 400 / 500 / 1000.0, b / 400 / 500 / 1000.0, a / (double) b)
        }
        ratios.sort()
        lines.each { println "SightingBodySpec decode $it" }
        println String.format(Locale.ROOT, 'SightingBodySpec decode: streaming is x%.2f faster (median of 5, x%.2f-x%.2f),' +
                ' load %s', ratios[2], ratios[0], ratios[4], new File('/proc/loadavg').text.split(' ')[0])

        then:
        ratios.every { it > 0 }
    }

    private int treeItems(byte[] body) {
        JsonNode root = mapper.readValue(body, Argument.of(JsonNode))
        int n = 0
        root.values().each { SightingJson.read(it); n++ }
        n
    }
}
