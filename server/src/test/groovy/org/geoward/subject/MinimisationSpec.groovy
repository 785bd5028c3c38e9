package org.geoward.subject

import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import javax.sql.DataSource
import org.geoward.audit.Http
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Specification

import static org.geoward.subject.PrivacyData.fix

/**
 * An officer sees the history of the wards whose alerts they handle, while they handle them, and no one else's; and the
 * records (with last position) of the subjects of the unresolved alerts of their task: assigned to them, of their
 * unit's types, or inside their grid.
 */
@MicronautTest(transactional = false)
class MinimisationSpec extends Specification {
    @Inject
    EmbeddedServer server

    @Inject
    @Client("/")
    HttpClient micronautClient

    @Inject
    UserRepository users

    @Inject
    PasswordHasher hasher

    @Inject
    DataSource dataSource

    def "an officer reads a ward's track only while an alert of the ward is assigned to them"() {
        given:
        def db = new PrivacyData(dataSource)
        def admin = new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.ADMIN))
        def ward = admin.post("/api/subjects", [kind: "WARD", name: "孙奶奶 ${UUID.randomUUID()}".toString()]).json
        admin.post("/api/sightings", [fix(ward.id, 2), fix(ward.id, 1)])
        long officerId = db.first("INSERT INTO subject (kind, name, unit, status) VALUES ('OFFICER', 'officer', 'POLICE', 'AVAILABLE') RETURNING id") as long
        def officer = new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.OFFICER, officerId))
        def path = "/api/subjects/$ward.id/track"

        when: "no alert of the ward is theirs"
        def before = officer.get(path)

        and: "one is assigned to them"
        long alertId = db.first("INSERT INTO alert (type, subject_id, opened_at, status, assigned_officer_id) VALUES ('WANDER', ?, now(), 'DISPATCHED', ?) RETURNING id",
                [ward.id as long, officerId]) as long
        def handling = officer.get(path)

        and: "it is resolved"
        db.rows("UPDATE alert SET status = 'RESOLVED', resolved_at = now() WHERE id = ?", [alertId])
        def after = officer.get(path)

        then:
        before.status == 404
        handling.status == 200
        handling.json.features.size() == 2
        after.status == 404
        officer.get("/api/subjects/$officerId/track").status == 200
        admin.get(path).status == 200
    }

    def "an officer reads a subject's record only while an alert of theirs concerns it: #why"() {
        given:
        def db = new PrivacyData(dataSource)
        def admin = new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.ADMIN))
        def guardian = admin.post("/api/subjects", [kind: "GUARDIAN", name: "王先生 ${UUID.randomUUID()}".toString()]).json
        def ward = admin.post("/api/subjects", [kind: "WARD", name: "赵爷爷 ${UUID.randomUUID()}".toString(), guardians: [guardian.id]]).json
        def bystander = admin.post("/api/subjects", [kind: "WARD", name: "钱奶奶 ${UUID.randomUUID()}".toString()]).json
        long officerId = db.first("INSERT INTO subject (kind, name, unit, status) VALUES ('OFFICER', 'officer', ?, 'OFF_DUTY') RETURNING id", [unit]) as long
        if (grid) {
            long fenceId = db.first("""INSERT INTO fence (name, kind, geom, area) VALUES ('grid', 'GRID',
                    ST_GeomFromText('POLYGON((100.0 20.0, 100.02 20.0, 100.02 20.02, 100.0 20.02, 100.0 20.0))', 4326),
                    ST_GeomFromText('POLYGON((100.0 20.0, 100.02 20.0, 100.02 20.02, 100.0 20.02, 100.0 20.0))', 4326)) RETURNING id""") as long
            db.rows("INSERT INTO grid_officer (fence_id, officer_id, role) VALUES (?, ?, 'GRID')", [fenceId, officerId])
        }
        def officer = new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.OFFICER, officerId))

        when: "no alert concerns the ward"
        def before = officer.get("/api/subjects/$ward.id")

        and: "an alert of the ward is open"
        long alertId = db.first("""INSERT INTO alert (type, subject_id, opened_at, status, assigned_officer_id, pos)
                VALUES (?, ?, now(), 'OPEN', ?, 'SRID=4326;POINT(100.01 20.01)') RETURNING id""",
                [type, ward.id as long, assigned ? officerId : null]) as long
        def during = officer.get("/api/subjects/$ward.id")
        def guardianDuring = officer.get("/api/subjects/$guardian.id")
        def list = officer.get("/api/subjects").json*.id

        and: "it is resolved"
        db.rows("UPDATE alert SET status = 'RESOLVED', resolved_at = now() WHERE id = ?", [alertId])
        def after = officer.get("/api/subjects/$ward.id")

        then:
        before.status == 404
        during.status == 200
        during.json.id == ward.id
        guardianDuring.status == 200
        ward.id in list && guardian.id in list && officerId.toString() in list
        !(bystander.id in list)
        officer.get("/api/subjects/$bystander.id").status == 404
        after.status == 404
        officer.get("/api/subjects/$officerId").status == 200

        cleanup:
        db?.rows("UPDATE fence SET retired_at = now() WHERE kind = 'GRID' AND name = 'grid' AND retired_at IS NULL"
                + " AND id IN (SELECT fence_id FROM grid_officer WHERE officer_id = ?)", [officerId])

        where:
        why                              | unit        | type     | assigned | grid
        "assigned to them"               | 'FISHERIES' | 'WANDER' | true     | false
        "of their unit's type"           | 'POLICE'    | 'WANDER' | false    | false
        "inside a grid they belong to"   | 'FISHERIES' | 'DANGER' | false    | true
    }

    def "an officer of the other unit does not read the record of a ward whose alert is not of their types"() {
        given:
        def db = new PrivacyData(dataSource)
        def admin = new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.ADMIN))
        def ward = admin.post("/api/subjects", [kind: "WARD", name: "周奶奶 ${UUID.randomUUID()}".toString()]).json
        long officerId = db.first("INSERT INTO subject (kind, name, unit, status) VALUES ('OFFICER', 'officer', 'FISHERIES', 'AVAILABLE') RETURNING id") as long
        db.first("INSERT INTO alert (type, subject_id, opened_at, status) VALUES ('WANDER', ?, now(), 'OPEN') RETURNING id", [ward.id as long])
        def officer = new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.OFFICER, officerId))

        expect:
        officer.get("/api/subjects/$ward.id").status == 404
        !(ward.id in officer.get("/api/subjects").json*.id)
        admin.get("/api/subjects/$ward.id").status == 200
    }

    def "an officer sees in a fence's occupants, the CAP feed, the notifications and a grid's open items only the subjects and alerts of their task"() {
        given: "a POLICE officer; inside one grid (no officer of it) a ward whose WANDER alert is theirs and one with no alert"
        def db = new PrivacyData(dataSource)
        def admin = new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.ADMIN))
        String tag = UUID.randomUUID().toString()
        long mine = db.first("INSERT INTO subject (kind, name) VALUES ('WARD', ?) RETURNING id", ["吴奶奶 $tag"]) as long
        long bystander = db.first("INSERT INTO subject (kind, name) VALUES ('WARD', ?) RETURNING id", ["郑爷爷 $tag"]) as long
        double lon = 101.0 + Math.random() * 0.5, lat = 21.0 + Math.random() * 0.5
        [mine, bystander].each {
            db.rows("INSERT INTO subject_position (subject_id, time, pos) VALUES (?, now(), ST_MakePoint(?, ?)::geography)",
                    [it, lon, lat])
        }
        long fenceId = db.first("""INSERT INTO fence (name, kind, geom, area)
                VALUES (?, 'GRID', ST_Expand(ST_SetSRID(ST_MakePoint(?, ?), 4326), 0.001),
                        ST_Expand(ST_SetSRID(ST_MakePoint(?, ?), 4326), 0.001)) RETURNING id""",
                ["occupants $tag", lon, lat, lon, lat]) as long
        long officerId = db.first("INSERT INTO subject (kind, name, unit, status) VALUES ('OFFICER', 'officer', 'POLICE', 'OFF_DUTY') RETURNING id") as long
        def officer = new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.OFFICER, officerId))

        and: "the ward's WANDER (POLICE's type) and the bystander's LOITER (FISHERIES'), each with a message"
        long theirs = alertWithMessage(db, 'WANDER', mine, "theirs $tag", lon, lat)
        long other = alertWithMessage(db, 'LOITER', bystander, "other $tag", lon, lat)

        and: "a second POLICE officer, who belongs to the grid"
        long gridOfficerId = db.first("INSERT INTO subject (kind, name, unit, status) VALUES ('OFFICER', 'grid officer', 'POLICE', 'OFF_DUTY') RETURNING id") as long
        db.rows("INSERT INTO grid_officer (fence_id, officer_id, role) VALUES (?, ?, 'GRID')", [fenceId, gridOfficerId])
        def gridOfficer = new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.OFFICER, gridOfficerId))

        when:
        def occupants = officer.get("/api/fences/$fenceId/occupants").json*.subjectId
        def feed = new String(officer.get("/api/alerts.cap").bytes, 'UTF-8')
        def messages = officer.get("/api/notifications").json*.text
        def items = officer.get("/api/grids/$fenceId").json.openItems
        def listedItems = officer.get("/api/grids").json.find { it.id == fenceId.toString() }.openItems

        then: "the officer sees their ward, not the bystander"
        occupants.contains(mine.toString()) && !occupants.contains(bystander.toString())
        feed.contains("/api/alerts/${theirs}.cap") && !feed.contains("/api/alerts/${other}.cap")
        officer.get("/api/alerts/${theirs}.cap").status == 200
        officer.get("/api/alerts/${other}.cap").status == 404
        messages.contains("theirs $tag".toString()) && !messages.contains("other $tag".toString())
        items*.alertId == [theirs.toString()] && items*.subjectName == ["吴奶奶 $tag".toString()]
        listedItems*.alertId == [theirs.toString()]

        and: "the grid's own officer sees every open item of the grid"
        gridOfficer.get("/api/grids/$fenceId").json.openItems*.alertId as Set == [theirs, other]*.toString() as Set
        gridOfficer.get("/api/grids").json.find { it.id == fenceId.toString() }.openItems*.alertId as Set == [theirs, other]*.toString() as Set

        and: "an admin sees both"
        admin.get("/api/grids/$fenceId").json.openItems*.alertId as Set == [theirs, other]*.toString() as Set
        admin.get("/api/fences/$fenceId/occupants").json*.subjectId.containsAll([mine.toString(), bystander.toString()])
        admin.get("/api/alerts/${other}.cap").status == 200
        admin.get("/api/notifications?alertId=$other").json*.text == ["other $tag".toString()]

        cleanup:
        db?.rows("UPDATE fence SET retired_at = now() WHERE id = ?", [fenceId])
        db?.rows("UPDATE alert SET status = 'RESOLVED', resolved_at = now() WHERE id IN (?, ?)", [theirs, other])
    }

    /**
     * An open alert of {@code type} for {@code subjectId} at ({@code lon}, {@code lat}) with its OPENED step and one
     * suppressed SMS of {@code text}.
     */
    static long alertWithMessage(PrivacyData db, String type, long subjectId, String text, double lon, double lat) {
        long alertId = db.first("""INSERT INTO alert (type, subject_id, opened_at, status, pos)
                VALUES (?, ?, now(), 'OPEN', ST_MakePoint(?, ?)::geography) RETURNING id""",
                [type, subjectId, lon, lat]) as long
        long eventId = db.first("INSERT INTO alert_event (alert_id, actor, action, status) VALUES (?, 'system', 'OPENED', 'OPEN') RETURNING id",
                [alertId]) as long
        db.rows("""INSERT INTO notification (alert_id, alert_event_id, channel, recipient, text, status, dedupe_key)
                VALUES (?, ?, 'SMS', '13800000000', ?, 'SUPPRESSED', ?)""", [alertId, eventId, text, "minimisation $text"])
        alertId
    }
}
