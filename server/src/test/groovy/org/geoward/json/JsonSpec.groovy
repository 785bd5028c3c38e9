package org.geoward.json

import org.geoward.problem.ProblemException
import spock.lang.Specification

/** The one JSON reader: what it refuses and how it says so, and numbers with the digits their sender wrote. */
class JsonSpec extends Specification {

    def "a text that is not one JSON value is refused saying what and where: #what"() {
        when:
        Json.parse(text)

        then:
        Json.MalformedJson e = thrown()
        e.message.startsWith(message)

        where:
        what                  | text                          || message
        'nothing'             | ''                            || 'is empty: expected a JSON object'
        'only spaces'         | '   '                         || 'is empty'
        'a trailing comma'    | '{"a": 1,}'                   || 'is not valid JSON: '
        'a bare NaN'          | '{"a": NaN}'                  || 'is not valid JSON: '
        'two values'          | '{"a": 1} {"b": 2}'           || 'has text after the JSON value at '
        '33 levels'           | '[' * 33 + ']' * 33           || 'is JSON nested deeper than 32 levels'
    }

    def "32 levels are read"() {
        expect:
        Json.parse('[' * 32 + ']' * 32).isArray()
    }

    def "a request body that is not JSON is a 400 that says so"() {
        when:
        Json.body('{"name": ')

        then:
        ProblemException e = thrown()
        e.status().code == 400
        e.message.startsWith('the request body is not valid JSON: ')
    }

    def "numbers keep the digits their sender wrote: #written"() {
        given:
        def value = Json.parse("{\"n\": $written}").get('n')

        expect:
        JsonValues.text(value) == text
        JsonValues.show(value) == text
        Json.write(Json.parse("[$written]")) == "[$written]"

        where:
        written                    || text
        '1.50'                     || '1.50'
        '-5'                       || '-5'
        '29.700000'                || '29.700000'
        '12345678901234567890123'  || '12345678901234567890123'
    }

    def "a NUL character in a text is refused with its position and the field"() {
        when:
        JsonFields.optionalText(Json.parse('{"name": "ab\\u0000cd"}'), 'name', 'properties.name')

        then:
        ProblemException e = thrown()
        e.field() == 'properties.name'
        e.message == 'properties.name contains a NUL character (U+0000) at position 2; remove it'
    }

    def "an error text shows a value as its sender wrote it: #json"() {
        expect:
        JsonValues.show(Json.parse(json).get('v')) == shown

        where:
        json                                  || shown
        '{"v": "abc"}'                        || '"abc"'
        '{"v": true}'                         || 'true'
        '{"v": null}'                         || 'null'
        '{"v": [1]}'                          || 'an array'
        '{"v": {"k": 1}}'                     || 'an object'
        "{\"v\": \"${'x' * 50}\"}"            || '"' + 'x' * 40 + '…"'
    }
}
