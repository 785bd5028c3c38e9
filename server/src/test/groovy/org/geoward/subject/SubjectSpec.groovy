package org.geoward.subject

import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import spock.lang.Specification

@MicronautTest(transactional = false)
class SubjectSpec extends Specification {

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    UserRepository users

    @Inject
    PasswordHasher hasher

    private static final Map<Role, ApiClient> CLIENTS = [:]

    ApiClient as(Role role) {
        CLIENTS.computeIfAbsent(role) { ApiClient.loggedIn(http, users, hasher, it) }
    }

    ApiClient getAdmin() { as(Role.ADMIN) }

    String unique(String name) { "$name ${UUID.randomUUID().toString().take(8)}" }

    String guardian() {
        admin.post("/api/subjects", [kind: "GUARDIAN", name: unique("王建国"), phone: "13912345678"]).body.id
    }

    def "a ward registered with a guardian is read back with ids as strings"() {
        given:
        def guardianId = guardian()

        when:
        def created = admin.post("/api/subjects", [kind: "WARD", name: unique("王奶奶"), guardians: [guardianId],
                                                   phone: "+8613800000000", offlineMinutes: 30])
        def read = admin.get("/api/subjects/${created.body.id}")

        then:
        created.status == 201
        created.body.id instanceof String
        created.body.kind == "WARD"
        created.body.guardians == [guardianId]
        created.body.phone == "+8613800000000"
        created.body.offlineMinutes == 30
        read.status == 200
        read.body == created.body
    }

    def "guardians may be given as JSON numbers"() {
        given:
        def guardianId = guardian()

        when:
        def created = admin.post("/api/subjects", [kind: "WARD", name: unique("李爷爷"), guardians: [guardianId as long]])

        then:
        created.status == 201
        created.body.guardians == [guardianId]
    }

    def "a #kind is registered and read back"() {
        when:
        def created = admin.post("/api/subjects", [kind: kind, name: unique("某人")] + extra)
        def read = admin.get("/api/subjects/${created.body.id}")

        then:
        created.status == 201
        read.body.kind == kind
        read.body.subMap(expected.keySet()) == expected

        where:
        kind       | extra                                       || expected
        "WARD"     | [offlineMinutes: 45]                        || [offlineMinutes: 45, guardians: []]
        "GUARDIAN" | [phone: "139 1234 5678"]                    || [phone: "13912345678"]
        "VISITOR"  | [:]                                         || [:]
        "OFFICER"  | [unit: "FISHERIES", travelMode: "BOAT"]     || [unit: "FISHERIES", status: "AVAILABLE", travelMode: "BOAT"]
        "OFFICER"  | [unit: "POLICE", status: "BUSY"]            || [unit: "POLICE", status: "BUSY"]
    }

    def "a subject with #problem is refused with 400 naming #field"() {
        given: 'the placeholders GUARDIAN and WARD stand for real subjects of those kinds'
        def guardianId = guardian()
        def wardId = admin.post("/api/subjects", [kind: "WARD", name: unique("张奶奶")]).body.id
        def request = body.collectEntries { k, v ->
            [k, v instanceof List ? v.collect { it == "GUARDIAN" ? guardianId : it == "WARD" ? wardId : it } : v]
        }

        when:
        def reply = admin.post("/api/subjects", request)

        then:
        reply.status == 400
        reply.contentType == "application/problem+json"
        reply.field == field

        where:
        problem                     | body                                                          || field
        "no kind"                   | [name: "王奶奶"]                                                || "kind"
        "an unknown kind"           | [kind: "CAT", name: "咪咪"]                                      || "kind"
        "a blank name"              | [kind: "WARD", name: "  "]                                    || "name"
        "a guardian that is absent" | [kind: "WARD", name: "王奶奶", guardians: ["999999999"]]        || "guardians[0]"
        "a guardian that is a ward" | [kind: "WARD", name: "王奶奶", guardians: ["GUARDIAN", "WARD"]] || "guardians[1]"
        "a guardian id not an id"   | [kind: "WARD", name: "王奶奶", guardians: ["abc"]]              || "guardians[0]"
        "a visitor with guardians"  | [kind: "VISITOR", name: "访客", guardians: ["GUARDIAN"]]        || "guardians"
        "a short phone"             | [kind: "WARD", name: "王奶奶", phone: "1380000"]                || "phone"
        "a landline-like phone"     | [kind: "WARD", name: "王奶奶", phone: "02388888888"]            || "phone"
        "a phone with letters"      | [kind: "WARD", name: "王奶奶", phone: "+86abc"]                 || "phone"
        "offlineMinutes of zero"    | [kind: "WARD", name: "王奶奶", offlineMinutes: 0]               || "offlineMinutes"
        "an officer without a unit" | [kind: "OFFICER", name: "李警官"]                                || "unit"
        "an unknown unit"           | [kind: "OFFICER", name: "李警官", unit: "ARMY"]                  || "unit"
        "an unknown travel mode"    | [kind: "OFFICER", name: "李警官", unit: "POLICE", travelMode: "JET"] || "travelMode"
        "a unit for a ward"         | [kind: "WARD", name: "王奶奶", unit: "POLICE"]                  || "unit"
    }

    def "listing by kind returns only subjects of that kind"() {
        given:
        def guardianId = guardian()
        def wardId = admin.post("/api/subjects", [kind: "WARD", name: unique("赵奶奶")]).body.id

        when:
        def guardians = admin.get("/api/subjects?kind=GUARDIAN")

        then:
        guardians.status == 200
        guardians.body*.id.contains(guardianId)
        !guardians.body*.id.contains(wardId)
        guardians.body*.kind.unique() == ["GUARDIAN"]
    }

    def "PUT changes name, phone and guardians and keeps what it does not mention"() {
        given:
        def first = guardian()
        def second = guardian()
        def ward = admin.post("/api/subjects", [kind: "WARD", name: unique("钱奶奶"), guardians: [first],
                                                offlineMinutes: 20]).body

        when:
        def changed = admin.put("/api/subjects/${ward.id}", [name: "钱奶奶 (改)", phone: "13800000001",
                                                              guardians: [second]])
        def read = admin.get("/api/subjects/${ward.id}")

        then:
        changed.status == 200
        read.body.name == "钱奶奶 (改)"
        read.body.phone == "13800000001"
        read.body.guardians == [second]
        read.body.offlineMinutes == 20
    }

    def "PUT refuses a change of kind"() {
        given:
        def ward = admin.post("/api/subjects", [kind: "WARD", name: unique("孙奶奶")]).body

        expect:
        admin.put("/api/subjects/${ward.id}", [kind: "OFFICER"]).field == "kind"
    }

    def "an unknown subject is 404 for #method"() {
        expect:
        call(admin).status == 404

        where:
        method | call
        "GET"  | { ApiClient c -> c.get("/api/subjects/999999999") }
        "PUT"  | { ApiClient c -> c.put("/api/subjects/999999999", [name: "x"]) }
        "text" | { ApiClient c -> c.get("/api/subjects/abc") }
    }

    def "a #role may read subjects but only an ADMIN registers them"() {
        expect:
        as(role).get("/api/subjects").status == readStatus
        as(role).post("/api/subjects", [kind: "GUARDIAN", name: unique("周先生")]).status == writeStatus

        where:
        role            || readStatus | writeStatus
        Role.ADMIN      || 200        | 201
        Role.DISPATCHER || 200        | 403
        Role.OFFICER    || 200        | 403
        Role.FAMILY     || 200        | 403
    }

    def "without a token the subjects API answers 401"() {
        expect:
        new ApiClient(http, null).get("/api/subjects").status == 401
    }
}
