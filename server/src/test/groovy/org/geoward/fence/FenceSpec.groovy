package org.geoward.fence

import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import javax.sql.DataSource
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.subject.ApiClient
import spock.lang.Specification

/** Fences over HTTP against the private PostGIS, with coordinates around Fuling (涪陵). */
@MicronautTest(transactional = false)
class FenceSpec extends Specification {

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    UserRepository users

    @Inject
    PasswordHasher hasher

    @Inject
    DataSource dataSource

    @Inject
    FenceCatalog catalog

    private static final Map<Role, ApiClient> CLIENTS = [:]

    ApiClient as(Role role) {
        CLIENTS.computeIfAbsent(role) { ApiClient.loggedIn(http, users, hasher, it) }
    }

    ApiClient getAdmin() { as(Role.ADMIN) }

    static String unique(String name) { "$name ${UUID.randomUUID().toString().take(8)}".toString() }

    /** A square of {@code half} degrees around a centre, closed, counter-clockwise. */
    static Map square(double lon, double lat, double half = 0.005) {
        [type: "Polygon", coordinates: [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
                                         [lon - half, lat + half], [lon - half, lat - half]]]]
    }

    static Map feature(Map geometry, Map properties) {
        [type: "Feature", geometry: geometry, properties: properties]
    }

    List<List> rows(String sql, Object... params) {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            def ps = c.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p) }
            def rs = ps.executeQuery()
            def result = []
            while (rs.next()) {
                result << (1..rs.metaData.columnCount).collect { rs.getObject(it) }
            }
            result
        }
    }

    void execute(String sql, Object... params) {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            def ps = c.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p) }
            ps.executeUpdate()
        }
    }

    def "a polygon ban zone is created, keeps its unknown properties and reads back the same"() {
        given:
        def name = unique("长江涪陵段禁渔区")
        def body = feature(square(107.39, 29.70), [name: name, kind: "BAN", dwellMinutes: 30, hysteresisMeters: 25,
                                                    subjects: [], radiusMeters: null, bufferMeters: null,
                                                    active: [from: "2021-01-01", until: null, daily: null,
                                                             zone: "Asia/Shanghai"],
                                                    colour: "#c00", note: [by: "渔政"]])

        when:
        def created = admin.post("/api/fences", body)
        def read = admin.get("/api/fences/${created.body.id}")

        then:
        created.status == 201
        created.body.type == "Feature"
        created.body.id instanceof String
        created.body.properties.id == created.body.id
        created.body.geometry == body.geometry
        created.body.properties.subMap("name", "kind", "dwellMinutes", "hysteresisMeters", "maxGapMinutes",
                "radiusMeters", "bufferMeters", "colour", "note") ==
                [name: name, kind: "BAN", dwellMinutes: 30, hysteresisMeters: 25, maxGapMinutes: 15,
                 radiusMeters: null, bufferMeters: null, colour: "#c00", note: [by: "渔政"]]
        created.body.properties.active == [from: "2021-01-01", until: null, daily: null, zone: "Asia/Shanghai"]
        created.body.properties.retiredAt == null
        read.body == created.body
    }

    def "defaults: a BAN fence without dwellMinutes gets 30, hysteresis 20 and gap 15"() {
        when:
        def created = admin.post("/api/fences", feature(square(107.40, 29.71), [name: unique("禁渔区"), kind: "BAN"]))

        then:
        created.status == 201
        created.body.properties.dwellMinutes == 30
        created.body.properties.hysteresisMeters == 20
        created.body.properties.maxGapMinutes == 15
        created.body.properties.active.zone == "Asia/Shanghai"
    }

    def "a night-time safe zone's daily window given as {from, until} is kept and shown as HH:MM-HH:MM"() {
        given:
        def ward = admin.post("/api/subjects", [kind: "WARD", name: unique("王奶奶")]).body.id

        when:
        def created = admin.post("/api/fences", feature(square(107.41, 29.72, 0.002),
                [name: unique("养老院夜间"), kind: "SAFE", subjects: [ward],
                 active: [daily: [from: "22:00", until: "06:00"], zone: "Asia/Shanghai"]]))

        then:
        created.status == 201
        created.body.properties.subjects == [ward]
        created.body.properties.active == [from: null, until: null, daily: "22:00-06:00", zone: "Asia/Shanghai"]
        created.body.properties.dwellMinutes == null
    }

    def "a MultiPolygon whose first part has a hole is stored as given and found by a box over either part"() {
        given:
        def withHole = [[[107.30, 29.60], [107.32, 29.60], [107.32, 29.62], [107.30, 29.62], [107.30, 29.60]],
                        [[107.305, 29.605], [107.305, 29.615], [107.315, 29.615], [107.315, 29.605], [107.305, 29.605]]]
        def other = [[[107.35, 29.60], [107.36, 29.60], [107.36, 29.61], [107.35, 29.60]]]
        def geometry = [type: "MultiPolygon", coordinates: [withHole, other]]

        when:
        def created = admin.post("/api/fences", feature(geometry, [name: unique("两块禁区"), kind: "BAN"]))

        then:
        created.status == 201
        created.body.geometry == geometry
        admin.get("/api/fences?bbox=107.355,29.601,107.359,29.603").body.features*.id.contains(created.body.id)
        !admin.get("/api/fences?bbox=107.309,29.609,107.311,29.611").body.features*.id.contains(created.body.id)
    }

    def "a circle's area is its radius from the centre on the ellipsoid, within 1 %"() {
        when:
        def created = admin.post("/api/fences", feature([type: "Point", coordinates: [107.39, 29.70]],
                [name: unique("白鹤梁"), kind: "DANGER", radiusMeters: 300]))
        def distances = rows("""
                SELECT ST_Distance(f.geom::geography, d.geom::geography)
                FROM fence f, ST_DumpPoints(f.area) d WHERE f.id = ?""", created.body.id as long)*.get(0)

        then:
        created.status == 201
        created.body.geometry == [type: "Point", coordinates: [107.39, 29.70]]
        created.body.properties.radiusMeters == 300
        distances.size() > 30
        distances.every { Math.abs(it - 300) <= 3 }
    }

    def "a river-bank corridor covers the line's buffer and no more"() {
        when:
        def created = admin.post("/api/fences", feature(
                [type: "LineString", coordinates: [[107.36, 29.70], [107.38, 29.705], [107.40, 29.706]]],
                [name: unique("长江岸线"), kind: "DANGER", bufferMeters: 150]))
        def within = { double lon, double lat ->
            rows("SELECT ST_Covers(area::geography, ST_MakePoint(?, ?)::geography) FROM fence WHERE id = ?",
                    lon, lat, created.body.id as long)[0][0]
        }

        then:
        created.status == 201
        created.body.properties.bufferMeters == 150
        within(107.38, 29.706)        // ~111 m north of the bend
        !within(107.38, 29.707)       // ~222 m north
    }

    def "bbox finds a fence in Fuling from a box around it and not from a box 10 km away"() {
        given:
        def id = admin.post("/api/fences", feature(square(107.39, 29.70, 0.001),
                [name: unique("涪陵"), kind: "DANGER"])).body.id

        when:
        def around = admin.get("/api/fences?bbox=107.385,29.695,107.395,29.705")
        def away = admin.get("/api/fences?bbox=107.49,29.69,107.51,29.71")

        then:
        around.status == 200
        around.body.type == "FeatureCollection"
        around.body.features*.id.contains(id)
        !away.body.features*.id.contains(id)
    }

    def "a bad bbox '#bbox' is refused with 400"() {
        when:
        def reply = admin.get("/api/fences?bbox=$bbox")

        then:
        reply.status == 400
        reply.field == "bbox"
        reply.body.detail.contains(says)

        where:
        bbox                          || says
        "107.3,29.6,107.5"            || "four numbers"
        "107.3,29.6,107.5,x"          || "not a number"
        "107.3,29.6,197.5,29.8"       || "out of range"
        "29.6,107.3,29.8,107.5"       || "out of range"
        "107.5,29.6,107.3,29.8"       || "less than east"
        "107.3,29.8,107.5,29.6"       || "less than north"
    }

    def "PUT replaces a fence and GET shows the change"() {
        given:
        def id = admin.post("/api/fences", feature(square(107.42, 29.73), [name: unique("旧名"), kind: "BAN"])).body.id
        def renamed = unique("新名")

        when:
        def replaced = admin.put("/api/fences/$id", feature([type: "Point", coordinates: [107.421, 29.731]],
                [name: renamed, kind: "DANGER", radiusMeters: 120, hysteresisMeters: 10]))
        def read = admin.get("/api/fences/$id")

        then:
        replaced.status == 200
        read.body.id == id
        read.body.geometry == [type: "Point", coordinates: [107.421, 29.731]]
        read.body.properties.name == renamed
        read.body.properties.kind == "DANGER"
        read.body.properties.radiusMeters == 120
        read.body.properties.hysteresisMeters == 10
        read.body.properties.dwellMinutes == null
    }

    def "DELETE retires a fence: the list no longer shows it, GET shows when, the evaluator drops it, its alerts stay"() {
        given:
        def id = admin.post("/api/fences", feature(square(107.43, 29.74), [name: unique("临时"), kind: "BAN"])).body.id
        assert catalog.index() != null

        def subject = admin.post("/api/subjects", [kind: "VISITOR", name: unique("钓鱼人")]).body.id
        def alertId = rows("""
                INSERT INTO alert (type, subject_id, fence_id, opened_at) VALUES ('LOITER', ?, ?, now())
                RETURNING id""", subject as long, id as long)[0][0]

        when:
        def deleted = admin.delete("/api/fences/$id")

        then:
        deleted.status == 204
        !admin.get("/api/fences").body.features*.id.contains(id)
        !admin.get("/api/fences?bbox=107.42,29.73,107.44,29.75").body.features*.id.contains(id)
        admin.get("/api/fences/$id").body.properties.retiredAt != null
        !catalog.loadAll()*.id().contains(id as long)
        admin.put("/api/fences/$id", feature(square(107.43, 29.74), [name: "x", kind: "BAN"])).status == 409

        and: 'its alerts stay'
        rows("SELECT fence_id FROM alert WHERE id = ?", alertId)[0][0] == id as long
    }

    def "occupants lists the subjects whose latest position is inside, not those outside"() {
        given:
        def id = admin.post("/api/fences", feature([type: "Point", coordinates: [107.45, 29.75]],
                [name: unique("码头"), kind: "BAN", radiusMeters: 200])).body.id
        def inside = admin.post("/api/subjects", [kind: "VISITOR", name: unique("钓鱼人")]).body.id
        def outside = admin.post("/api/subjects", [kind: "VISITOR", name: unique("路人")]).body.id
        def position = """
                INSERT INTO subject_position (subject_id, time, pos, accuracy, source)
                VALUES (?, '2026-11-22T08:00:00Z', ST_MakePoint(?, ?)::geography, 8, 'GPS')"""
        execute(position, inside as long, 107.4505d, 29.7505d)     // ~75 m from the centre
        execute(position, outside as long, 107.4530d, 29.7500d)    // ~290 m east

        when:
        def reply = admin.get("/api/fences/$id/occupants")

        then:
        reply.status == 200
        def ids = reply.body*.subjectId
        ids.contains(inside)
        !ids.contains(outside)

        and: 'positions left by earlier runs in the same place may be listed too; ours reads as stored'
        def ours = reply.body.find { it.subjectId == inside }
        ours.kind == "VISITOR"
        ours.since == "2026-11-22T08:00:00Z"
        ours.lon == 107.4505
        ours.accuracy == 8
    }

    def "an unknown fence is 404"() {
        expect:
        admin.get("/api/fences/999999999").status == 404
        admin.delete("/api/fences/999999999").status == 404
        admin.put("/api/fences/999999999", feature(square(107.3, 29.6), [name: "x", kind: "BAN"])).status == 404
        admin.get("/api/fences/abc").status == 404
        admin.get("/api/fences/999999999/occupants").status == 404
    }

    def "a #role reads fences with #readStatus and creates them with #writeStatus"() {
        expect:
        as(role).get("/api/fences?bbox=107.2,29.55,107.6,29.9").status == readStatus
        as(role).post("/api/fences", feature(square(107.3, 29.6), [name: unique("权限"), kind: "DANGER"]))
                .status == writeStatus

        where:
        role            || readStatus | writeStatus
        Role.DISPATCHER || 200        | 201
        Role.OFFICER    || 200        | 403
        Role.FAMILY     || 200        | 403
    }

    def "without a token the fences API answers 401"() {
        expect:
        new ApiClient(http, null).get("/api/fences").status == 401
    }
}
