package org.geoward.subject

import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import javax.sql.DataSource
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import spock.lang.Specification

@MicronautTest(transactional = false)
class DeviceSpec extends Specification {

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    UserRepository users

    @Inject
    PasswordHasher hasher

    @Inject
    DataSource dataSource

    private static final Map<Role, ApiClient> CLIENTS = [:]

    ApiClient as(Role role) {
        CLIENTS.computeIfAbsent(role) { ApiClient.loggedIn(http, users, hasher, it) }
    }

    ApiClient getAdmin() { as(Role.ADMIN) }

    String ward() {
        admin.post("/api/subjects", [kind: "WARD", name: "王奶奶 ${UUID.randomUUID().toString().take(8)}"]).body.id
    }

    String imei() {
        "86" + (System.nanoTime() % 10_000_000_000_000L).toString().padLeft(13, "0")
    }

    String tokenHashOf(String deviceId) {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            def ps = c.prepareStatement("SELECT token_hash FROM device WHERE id = ?")
            ps.setLong(1, deviceId as long)
            def rs = ps.executeQuery()
            rs.next()
            rs.getString(1)
        }
    }

    def "an #protocol device gets its token once and only a bcrypt hash of it is stored"() {
        given:
        def subjectId = ward()
        def uniqueId = "app-${UUID.randomUUID()}"

        when:
        def registered = admin.post("/api/devices", [uniqueId: uniqueId, protocol: protocol, subjectId: subjectId])
        def listed = admin.get("/api/devices?subjectId=$subjectId")

        then:
        registered.status == 201
        registered.body.id instanceof String
        registered.body.uniqueId == uniqueId
        registered.body.protocol == protocol
        registered.body.subjectId == subjectId
        registered.body.token.length() >= 32

        and: 'the database holds a bcrypt hash that matches the token, never the token'
        def hash = tokenHashOf(registered.body.id)
        hash.startsWith('$2')
        hash != registered.body.token
        hasher.matches(registered.body.token, hash)

        and: 'the list never shows the token again'
        listed.body*.id == [registered.body.id]
        !listed.body[0].containsKey("token")
        listed.body[0].hasToken

        where:
        protocol << ["OSMAND", "OWNTRACKS", "JSON"]
    }

    def "a GT06 tracker, which reports over TCP by IMEI, gets no token"() {
        when:
        def registered = admin.post("/api/devices", [uniqueId: imei(), protocol: "GT06", subjectId: ward() as long])

        then:
        registered.status == 201
        registered.body.containsKey("token")
        registered.body.token == null
        tokenHashOf(registered.body.id) == null
    }

    def "a second device with the same uniqueId is refused with 409"() {
        given:
        def uniqueId = imei()
        admin.post("/api/devices", [uniqueId: uniqueId, protocol: "GT06", subjectId: ward()])

        when:
        def again = admin.post("/api/devices", [uniqueId: uniqueId, protocol: "OSMAND", subjectId: ward()])

        then:
        again.status == 409
        again.contentType == "application/problem+json"
        again.body.detail.contains(uniqueId)
    }

    def "a device with #problem is refused with 400 naming #field"() {
        when:
        def reply = admin.post("/api/devices", body)

        then:
        reply.status == 400
        reply.field == field

        where:
        problem               | body                                                              || field
        "no uniqueId"         | [protocol: "OSMAND", subjectId: "1"]                              || "uniqueId"
        "a uniqueId w/ space" | [uniqueId: "a b", protocol: "OSMAND", subjectId: "1"]             || "uniqueId"
        "an unknown protocol" | [uniqueId: "x-${UUID.randomUUID()}", protocol: "SMOKE", subjectId: "1"] || "protocol"
        "no subject"          | [uniqueId: "x-${UUID.randomUUID()}", protocol: "JSON"]            || "subjectId"
        "an unknown subject"  | [uniqueId: "x-${UUID.randomUUID()}", protocol: "JSON", subjectId: "999999999"] || "subjectId"
    }

    def "a deleted device is gone from the list and a second delete is 404"() {
        given:
        def subjectId = ward()
        def device = admin.post("/api/devices", [uniqueId: imei(), protocol: "GT06", subjectId: subjectId]).body

        when:
        def deleted = admin.delete("/api/devices/${device.id}")

        then:
        deleted.status == 204
        admin.get("/api/devices?subjectId=$subjectId").body == []
        admin.delete("/api/devices/${device.id}").status == 404
    }

    def "a #role may neither list devices (#listStatus: the list holds every unique id) nor register them (#writeStatus)"() {
        expect:
        as(role).get("/api/devices").status == listStatus
        as(role).post("/api/devices", [uniqueId: imei(), protocol: "GT06", subjectId: "1"]).status == writeStatus

        where:
        role            || listStatus | writeStatus
        Role.DISPATCHER || 403        | 403
        Role.OFFICER    || 403        | 403
        Role.FAMILY     || 403        | 403
    }

    def "without a token the devices API answers 401"() {
        expect:
        new ApiClient(http, null).get("/api/devices").status == 401
    }
}
