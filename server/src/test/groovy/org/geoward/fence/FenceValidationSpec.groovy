package org.geoward.fence

import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.subject.ApiClient
import spock.lang.Shared
import spock.lang.Specification

/** Every way a fence Feature can be wrong, each refused with 400, the path at fault and a reason. */
@MicronautTest(transactional = false)
class FenceValidationSpec extends Specification {

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    UserRepository users

    @Inject
    PasswordHasher hasher

    @Shared
    ApiClient admin

    def setup() {
        if (admin == null) {
            admin = ApiClient.loggedIn(http, users, hasher, Role.ADMIN)
        }
    }

    static final List RING = [[107.385, 29.695], [107.395, 29.695], [107.395, 29.705], [107.385, 29.705],
                              [107.385, 29.695]]
    static final Map POLYGON = [type: "Polygon", coordinates: [RING]]
    static final Map POINT = [type: "Point", coordinates: [107.39, 29.70]]
    static final Map LINE = [type: "LineString", coordinates: [[107.36, 29.70], [107.40, 29.706]]]
    static final Map PROPS = [name: "涪陵", kind: "DANGER"]

    static Map feature(Map geometry, Map props = PROPS) {
        [type: "Feature", geometry: geometry, properties: props]
    }

    static Map polygon(List ring) {
        [type: "Polygon", coordinates: [ring]]
    }

    /** The ring with position {@code index} replaced. */
    static List ringWith(int index, position) {
        def ring = RING.collect { it }
        ring[index] = position
        ring
    }

    def "a fence with #problem is refused with 400 at #field"() {
        when:
        def reply = admin.post("/api/fences", body)

        then:
        reply.status == 400
        reply.contentType == "application/problem+json"
        reply.field == field
        reply.body.detail.contains(says)

        where:
        problem                        | body                                                              || field                           | says
        "a FeatureCollection"          | [type: "FeatureCollection", features: []]                         || "type"                          | "one Feature per request"
        "a bare geometry"              | POLYGON                                                           || "type"                          | "wrap the geometry"
        "no geometry"                  | [type: "Feature", properties: PROPS]                              || "geometry"                      | "no geometry"
        "a MultiPoint"                 | feature([type: "MultiPoint", coordinates: [[107.39, 29.70]]])     || "geometry.type"                 | "not supported"
        "a GeometryCollection"         | feature([type: "GeometryCollection", geometries: []])             || "geometry.type"                 | "not supported"
        "no coordinates"               | feature([type: "Polygon"])                                        || "geometry.coordinates"          | "required"
        "lat and lon swapped"          | feature(polygon(ringWith(3, [29.70, 107.39])))                    || "geometry.coordinates[0][3]"    | "looks like [lat, lon]; GeoJSON is [lon, lat]"
        "a longitude of 190"           | feature(polygon(ringWith(1, [190.0, 29.70])))                     || "geometry.coordinates[0][1]"    | "out of range -180..180"
        "a latitude of -95"            | feature([type: "Point", coordinates: [107.39, -95]], PROPS + [radiusMeters: 10]) || "geometry.coordinates" | "out of range -90..90"
        "a coordinate given as text"   | feature(polygon(ringWith(2, ["107.395", 29.705])))                || "geometry.coordinates[0][2][0]" | "must be a number"
        "a coordinate 'NaN'"           | feature(polygon(ringWith(2, [107.395, "NaN"])))                   || "geometry.coordinates[0][2][1]" | "must be a number"
        "a position of one number"     | feature(polygon(ringWith(2, [107.395])))                          || "geometry.coordinates[0][2]"    | "[lon, lat]"
        "an unclosed ring"             | feature(polygon(RING.take(4)))                                    || "geometry.coordinates[0]"       | "not closed"
        "a ring of 3 positions"        | feature(polygon([RING[0], RING[1], RING[0]]))                     || "geometry.coordinates[0]"       | "at least 4 positions"
        "a self-intersecting bow tie"  | feature(polygon([[107.385, 29.695], [107.395, 29.705], [107.395, 29.695], [107.385, 29.705], [107.385, 29.695]])) || "geometry.coordinates" | "Self-intersection at [107.39, 29.7]"
        "a hole outside its shell"     | feature([type: "Polygon", coordinates: [RING, [[107.5, 29.8], [107.51, 29.8], [107.51, 29.81], [107.5, 29.8]]]]) || "geometry.coordinates" | "Hole lies outside shell"
        "a line of one position"       | feature([type: "LineString", coordinates: [[107.36, 29.70]]], PROPS + [bufferMeters: 50]) || "geometry.coordinates" | "at least 2 positions"
        "a circle without a radius"    | feature(POINT)                                                    || "properties.radiusMeters"       | "needs radiusMeters"
        "a circle of radius 0"         | feature(POINT, PROPS + [radiusMeters: 0])                         || "properties.radiusMeters"       | "above 0"
        "a circle of radius -5"        | feature(POINT, PROPS + [radiusMeters: -5])                        || "properties.radiusMeters"       | "above 0"
        "a corridor without a buffer"  | feature(LINE)                                                     || "properties.bufferMeters"       | "needs bufferMeters"
        "a radius on a polygon"        | feature(POLYGON, PROPS + [radiusMeters: 50])                      || "properties.radiusMeters"       | "applies only to a Point"
        "no properties"                | [type: "Feature", geometry: POLYGON]                              || "properties"                    | "name and kind"
        "no kind"                      | feature(POLYGON, [name: "涪陵"])                                    || "properties.kind"               | "required"
        "an unknown kind"              | feature(POLYGON, [name: "涪陵", kind: "UNSAFE"])                    || "properties.kind"               | "[SAFE, DANGER, BAN, GRID]"
        "no name"                      | feature(POLYGON, [kind: "SAFE"])                                  || "properties.name"               | "required"
        "dwellMinutes of 0"            | feature(POLYGON, [name: "涪陵", kind: "BAN", dwellMinutes: 0])      || "properties.dwellMinutes"       | "positive whole number"
        "dwellMinutes of 2.5"          | feature(POLYGON, [name: "涪陵", kind: "BAN", dwellMinutes: 2.5])    || "properties.dwellMinutes"       | "positive whole number"
        "negative hysteresis"          | feature(POLYGON, PROPS + [hysteresisMeters: -1])                  || "properties.hysteresisMeters"   | "from 0 to 1000"
        "maxGapMinutes of -3"          | feature(POLYGON, PROPS + [maxGapMinutes: -3])                     || "properties.maxGapMinutes"      | "positive whole number"
        "a subject that does not exist"| feature(POLYGON, PROPS + [subjects: ["999999999"]])               || "properties.subjects[0]"        | "does not exist"
        "a subject id that is no id"   | feature(POLYGON, PROPS + [subjects: ["王奶奶"]])                     || "properties.subjects[0]"        | "must be an id"
        "until before from"            | feature(POLYGON, PROPS + [active: [from: "2026-06-01", until: "2026-01-01"]]) || "properties.active.until" | "before active.from"
        "a date that is not one"       | feature(POLYGON, PROPS + [active: [from: "2026-13-01"]])          || "properties.active.from"        | "YYYY-MM-DD"
        "daily hours out of range"     | feature(POLYGON, PROPS + [active: [daily: "25:00-06:00"]])        || "properties.active.daily"       | "HH:MM"
        "daily hours without a dash"   | feature(POLYGON, PROPS + [active: [daily: "22:00"]])              || "properties.active.daily"       | "22:00-06:00"
        "daily {from} without until"   | feature(POLYGON, PROPS + [active: [daily: [from: "22:00"]]])      || "properties.active.daily.until" | "required"
        "an empty daily window"        | feature(POLYGON, PROPS + [active: [daily: "08:00-08:00"]])        || "properties.active.daily"       | "empty"
        "an unknown zone"              | feature(POLYGON, PROPS + [active: [zone: "Mars/Olympus"]])        || "properties.active.zone"        | "not a time zone"
        "active as a string"           | feature(POLYGON, PROPS + [active: "always"])                      || "properties.active"             | "object"
    }

    def "a bare NaN in the JSON is refused with 400, not stored"() {
        when:
        def reply = admin.post("/api/fences", '{"type": "Feature", "geometry": {"type": "Point", "coordinates": '
                + '[107.39, NaN]}, "properties": {"name": "x", "kind": "DANGER", "radiusMeters": 10}}')

        then:
        reply.status == 400
        reply.contentType == "application/problem+json"
    }

    def "PUT checks a replacement as strictly as POST"() {
        given:
        def id = admin.post("/api/fences", feature(POLYGON)).body.id

        when:
        def reply = admin.put("/api/fences/$id", feature(polygon(ringWith(3, [29.70, 107.39]))))

        then:
        reply.status == 400
        reply.field == "geometry.coordinates[0][3]"
    }
}
