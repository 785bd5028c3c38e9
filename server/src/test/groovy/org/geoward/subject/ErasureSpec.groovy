package org.geoward.subject

import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import java.util.zip.ZipInputStream
import javax.sql.DataSource
import io.micronaut.transaction.TransactionOperations
import java.sql.Connection
import org.geoward.alert.AlertEvents
import org.geoward.alert.AlertStatus
import org.geoward.partition.PartitionedEvaluation
import org.geoward.notify.Scene
import org.geoward.audit.Http
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.sighting.LatestPositions
import org.geoward.support.Accounts
import spock.lang.Shared
import spock.lang.Specification

import static org.geoward.subject.PrivacyData.fix

/** A person's export (everything about them, zipped) and erasure (nothing of them left in any table). */
@MicronautTest(transactional = false)
class ErasureSpec extends Specification {
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

    @Inject
    PartitionedEvaluation evaluation

    @Inject
    LatestPositions latestPositions

    @Inject
    AlertEvents events

    @Inject
    TransactionOperations<Connection> tx

    @Shared
    Http admin

    PrivacyData db

    def setup() {
        admin = admin ?: new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.ADMIN))
        db = new PrivacyData(dataSource)
    }

    String unique(String name) { "$name${UUID.randomUUID().toString().replace('-', '').take(10)}".toString() }

    /** A ward with a guardian, a device, a family account, three fixes (one with a phone and a photo) and an alert. */
    Map person() {
        String name = unique("钱奶奶")
        String phone = "+86139" + (10_000_000 + new Random().nextInt(89_999_999))
        String guardianPhone = "+86138" + (10_000_000 + new Random().nextInt(89_999_999))
        def guardian = admin.post("/api/subjects", [kind: "GUARDIAN", name: unique("钱先生"), phone: guardianPhone]).json
        def ward = admin.post("/api/subjects", [kind     : "WARD", name: name, phone: phone, guardians: [guardian.id],
                                                consent  : [by: guardian.name, textVersion: "2026-12"]]).json
        String deviceId = unique("imei-")
        assert admin.post("/api/devices", [uniqueId: deviceId, protocol: "OSMAND", subjectId: ward.id]).status == 201
        admin.post("/api/users", [username: unique("family-"), password: "pw-" + unique("x"), role: "FAMILY",
                                  wardIds : [ward.id]])
        String photo = "https://evidence.example/" + unique("photo-") + ".jpg"
        assert admin.post("/api/sightings", [fix(ward.id, 3), fix(ward.id, 2, [phone: phone, evidenceUrl: photo]),
                                             fix(ward.id, 1)]).json.accepted == 3
        long alertId = db.first("INSERT INTO alert (type, subject_id, opened_at, pos, evidence_url, note) VALUES " +
                "('SOS', ?, now(), 'SRID=4326;POINT(107.39 29.70)', ?, ?) RETURNING id", [ward.id as long, photo, name])
        // through the timeline's one writer, which also tells the guardian (the message the export must hold)
        def scene = new Scene(tx, events)
        scene.inTransaction { scene.append(alertId, [['system', 'OPENED', AlertStatus.OPEN, [lon: 107.39]]]) }
        admin.get("/api/subjects/$ward.id/track")
        [id: ward.id, name: name, phone: phone, photo: photo, deviceId: deviceId, alertId: alertId,
         guardianPhone: guardianPhone]
    }

    /** Every table of the schema whose rows, as text, contain {@code text}. */
    List<String> tablesHolding(String text) {
        List<String> tables = db.rows("""
                SELECT table_name AS t FROM information_schema.tables
                WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'spatial_ref_sys'""")*.t
        tables.findAll { db.count("SELECT count(*) FROM \"$it\" x WHERE x::text LIKE ?".toString(), ["%$text%".toString()]) > 0 }
    }

    def "the export holds the person, their fixes, alerts, messages and who looked at them"() {
        given:
        def p = person()

        when:
        def answer = admin.get("/api/subjects/$p.id/export")
        Map<String, String> parts = [:]
        new ZipInputStream(new ByteArrayInputStream(answer.bytes)).withCloseable { zip ->
            def entry
            while ((entry = zip.nextEntry) != null) {
                parts[entry.name] = new String(zip.readAllBytes(), "UTF-8")
            }
        }
        def slurp = { new groovy.json.JsonSlurper().parseText(it) }

        then:
        answer.status == 200
        answer.contentType == "application/zip"
        parts.keySet() == ["subject.json", "sightings.geojson", "alerts.json", "notifications.json", "audit.json"] as Set
        slurp(parts["subject.json"]).name == p.name
        slurp(parts["subject.json"]).consent.textVersion == "2026-12"
        slurp(parts["subject.json"]).devices*.uniqueId == [p.deviceId]
        slurp(parts["sightings.geojson"]).features.size() == 3
        slurp(parts["sightings.geojson"]).features[1].properties.evidenceUrl == p.photo
        slurp(parts["sightings.geojson"]).features[0].geometry.type == "Point"
        slurp(parts["alerts.json"])*.id == ["$p.alertId"]
        slurp(parts["alerts.json"])[0].steps*.action == ["OPENED"]
        slurp(parts["notifications.json"]).any { it.text.contains(p.name) }
        slurp(parts["audit.json"]).any { it.endpoint == "/api/subjects/{id}/track" }
    }

    def "erasing a person leaves nothing of their name, phones, photos or positions in any table"() {
        given:
        def p = person()
        assert tablesHolding(p.name).containsAll(["subject", "notification"])
        assert tablesHolding(p.photo).containsAll(["sighting", "alert"])

        when:
        def answer = admin.delete("/api/subjects/$p.id?erase=true")
        evaluation.checkpointNow()
        latestPositions.flush()

        then:
        answer.status == 204
        tablesHolding(p.name) == []
        tablesHolding(p.phone) == []
        tablesHolding(p.photo) == []
        tablesHolding(p.deviceId) == []
        db.count("SELECT count(*) FROM sighting WHERE subject_id = ?", [p.id as long]) == 0
        db.count("SELECT count(*) FROM subject_position WHERE subject_id = ?", [p.id as long]) == 0
        db.count("SELECT count(*) FROM subject_state WHERE subject_id = ?", [p.id as long]) == 0
        db.count("SELECT count(*) FROM ward_guardian WHERE ward_id = ?", [p.id as long]) == 0
        db.count("SELECT count(*) FROM user_ward WHERE ward_id = ?", [p.id as long]) == 0

        and: "the alert stays, so that the response statistics stay true, without position"
        def alert = db.rows("SELECT type, pos, subject_id FROM alert WHERE id = ?", [p.alertId])[0]
        alert.type == "SOS"
        alert.pos == null

        and: "the subject reads as erased"
        def read = admin.get("/api/subjects/$p.id").json
        read.name == "(erased)"
        read.phone == null
        read.erasedAt != null
    }

    def "an erased person's fixes are refused at once, by id and by their former device"() {
        given:
        def p = person()
        admin.delete("/api/subjects/$p.id?erase=true")

        when:
        def byId = admin.post("/api/sightings", fix(p.id, 0))
        def byDevice = admin.post("/api/sightings", [deviceId: p.deviceId, time: fix(p.id, 0).time, lon: 107.39, lat: 29.7])

        then:
        byId.status == 403
        byId.json.detail.contains("erased")
        byDevice.status == 202
        byDevice.json.rejected[0].error.contains("not registered")
    }

    def "a subject is never simply deleted: without erase=true the answer says how"() {
        given:
        def ward = admin.post("/api/subjects", [kind: "WARD", name: unique("孙")]).json

        when:
        def answer = admin.delete("/api/subjects/$ward.id")

        then:
        answer.status == 400
        answer.json.errors[0].field == "erase"
        answer.json.detail.contains("?erase=true")
        admin.get("/api/subjects/$ward.id").json.name == ward.name
    }

    def "only an ADMIN exports or erases, and an unknown subject is 404"() {
        given:
        def ward = admin.post("/api/subjects", [kind: "WARD", name: unique("周")]).json
        def dispatcher = new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.DISPATCHER))

        expect:
        dispatcher.get("/api/subjects/$ward.id/export").status == 403
        dispatcher.delete("/api/subjects/$ward.id?erase=true").status == 403
        admin.get("/api/subjects/987654321/export").status == 404
        admin.delete("/api/subjects/987654321?erase=true").status == 404
    }
}
