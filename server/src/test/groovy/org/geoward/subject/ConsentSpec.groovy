package org.geoward.subject

import io.micronaut.context.annotation.Property
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
import spock.lang.Shared
import spock.lang.Specification

import static org.geoward.subject.PrivacyData.fix

/** A ward is tracked only with a guardian's consent on record (the production default, turned back on here). */
@MicronautTest(transactional = false)
@Property(name = "geoward.privacy.require-consent", value = "true")
class ConsentSpec extends Specification {
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

    @Shared
    Http admin

    def setup() {
        admin = admin ?: new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.ADMIN))
    }

    String unique(String name) { "$name ${UUID.randomUUID().toString().take(8)}".toString() }

    def "a ward registered without consent is not tracked: its fix is refused with 403 saying why"() {
        given:
        def ward = admin.post("/api/subjects", [kind: "WARD", name: unique("李爷爷")]).json

        when:
        def answer = admin.post("/api/sightings", fix(ward.id, 1))

        then:
        ward.consent == null
        answer.status == 403
        answer.json.detail.contains("ward $ward.id has no guardian's consent to tracking on record")
        answer.json.detail.contains("POST /api/subjects/$ward.id/consent")
        new PrivacyData(dataSource).count("SELECT count(*) FROM sighting WHERE subject_id = ?", [ward.id as long]) == 0
    }

    def "a ward registered with consent records who, when and which text, and is tracked"() {
        given:
        def ward = admin.post("/api/subjects", [kind   : "WARD", name: unique("李爷爷"),
                                                consent: [by: "李明 (son)", textVersion: "2026-12"]]).json

        when:
        def answer = admin.post("/api/sightings", fix(ward.id, 1))

        then:
        ward.consent.by == "李明 (son)"
        ward.consent.textVersion == "2026-12"
        ward.consent.at != null
        answer.status == 202
        answer.json.accepted == 1
    }

    def "consent recorded later lets fixes in, and withdrawn shuts them out again at once"() {
        given:
        def ward = admin.post("/api/subjects", [kind: "WARD", name: unique("赵奶奶")]).json
        assert admin.post("/api/sightings", fix(ward.id, 3)).status == 403

        when:
        def given = admin.post("/api/subjects/$ward.id/consent", [by: "赵刚", textVersion: "2026-12"])
        def accepted = admin.post("/api/sightings", fix(ward.id, 2))
        def withdrawn = admin.delete("/api/subjects/$ward.id/consent")
        def refused = admin.post("/api/sightings", fix(ward.id, 1))

        then:
        given.status == 200
        given.json.consent.by == "赵刚"
        accepted.status == 202
        accepted.json.accepted == 1
        withdrawn.status == 200
        withdrawn.json.consent == null
        refused.status == 403
    }

    def "in a batch, the consented ward's fix is stored and the other's is rejected under its index"() {
        given:
        def with = admin.post("/api/subjects", [kind   : "WARD", name: unique("甲"),
                                                consent: [by: "家属", textVersion: "v1"]]).json
        def without = admin.post("/api/subjects", [kind: "WARD", name: unique("乙")]).json

        when:
        def answer = admin.post("/api/sightings", [fix(with.id, 1), fix(without.id, 1)])

        then:
        answer.status == 202
        answer.json.accepted == 1
        answer.json.rejected.size() == 1
        answer.json.rejected[0].index == 1
        answer.json.rejected[0].error.contains("consent")
    }

    def "visitors, officers and guardians need no consent record"() {
        given:
        def guardian = admin.post("/api/subjects", [kind: "GUARDIAN", name: unique("监护人")]).json

        expect:
        admin.post("/api/sightings", fix(guardian.id, 1)).status == 202
    }

    def "a consent without who or which text is refused naming the field"() {
        given:
        def ward = admin.post("/api/subjects", [kind: "WARD", name: unique("丙")]).json

        when:
        def answer = admin.post("/api/subjects/$ward.id/consent", body)

        then:
        answer.status == 400
        answer.json.errors[0].field == field

        where:
        body                           || field
        [textVersion: "v1"]            || "by"
        [by: "家属"]                   || "textVersion"
        [by: "", textVersion: "v1"]    || "by"
    }

    def "consent at registration is only for a WARD, and must be an object"() {
        when:
        def answer = admin.post("/api/subjects", [kind: kind, name: unique("丁"), consent: consent])

        then:
        answer.status == 400
        answer.json.errors[0].field == field

        where:
        kind       | consent                       || field
        "GUARDIAN" | [by: "x", textVersion: "v1"]  || "consent"
        "WARD"     | "yes"                         || "consent"
        "WARD"     | [by: "x"]                     || "consent.textVersion"
    }
}
