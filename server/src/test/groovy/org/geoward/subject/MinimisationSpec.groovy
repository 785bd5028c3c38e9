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

/** An officer sees the history of the wards whose alerts they handle, while they handle them, and no one else's. */
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
}
