package org.geoward.alert

import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.security.Role
import org.geoward.security.User
import org.geoward.support.Accounts

@MicronautTest(transactional = false)
class LifecycleSpec extends AlertSpecBase {

    Map act(String tok, String id, String step, Object body = [:]) {
        http.toBlocking().retrieve(HttpRequest.POST("/api/alerts/$id/$step", body).bearerAuth(tok), Map)
    }

    String sosAlert(long ward, double minute = 0) {
        scene.post(token, scene.fix(ward, minute, LON, LAT, [sos: true]))
        alerts(ward).find { it.properties.status != 'RESOLVED' }.properties.id
    }

    def "an officer sees the alert types their unit answers, and not the others"() {
        given: 'an SOS (a POLICE matter) and two officers'
        long ward = scene.subject('WARD')
        String id = sosAlert(ward)
        String police = officerToken('POLICE')
        String fisheries = officerToken('FISHERIES')

        expect:
        status(police, "/api/alerts/$id") == HttpStatus.OK
        status(fisheries, "/api/alerts/$id") == HttpStatus.NOT_FOUND
        !scene.get(fisheries, "/api/alerts?subjectId=$ward").features
        scene.get(police, "/api/alerts?subjectId=$ward").features*.properties*.id == [id]
    }

    private String officerToken(String unit) {
        long officer = scene.first(
                "INSERT INTO subject (kind, name, unit, status) VALUES ('OFFICER', ?, ?, 'AVAILABLE') RETURNING id",
                "officer-${UUID.randomUUID()}".toString(), unit) as long
        Accounts.token(http, users, hasher, Role.OFFICER, officer)
    }

    private HttpStatus status(String bearer, String path) {
        try {
            http.toBlocking().exchange(HttpRequest.GET(path).bearerAuth(bearer)).status
        } catch (HttpClientResponseException e) {
            e.status
        }
    }

    def "an alert is acknowledged, then resolved, and its timeline says who did what"() {
        given:
        long ward = scene.subject('WARD')
        String id = sosAlert(ward)
        long policeOfficer = scene.first(
                "INSERT INTO subject (kind, name, unit, status) VALUES ('OFFICER', ?, 'POLICE', 'AVAILABLE') RETURNING id",
                "officer-${UUID.randomUUID()}".toString()) as long
        String officer = Accounts.token(http, users, hasher, Role.OFFICER, policeOfficer)
        String officerName = scene.get(officer, "/api/me").username

        when:
        def acked = act(officer, id, 'ack')
        def resolved = act(token, id, 'resolve', [outcome: 'FOUND', note: '在家门口找到'])
        def read = scene.get(token, "/api/alerts/$id")

        then:
        acked.properties.status == 'ACKNOWLEDGED'
        resolved.properties.status == 'RESOLVED'
        resolved.properties.outcome == 'FOUND'
        resolved.properties.note == '在家门口找到'
        resolved.properties.resolvedAt != null
        read.timeline*.action == ['OPENED', 'ACKNOWLEDGED', 'RESOLVED']
        read.timeline*.status == ['OPEN', 'ACKNOWLEDGED', 'RESOLVED']
        read.timeline*.actor == ['system', officerName, scene.get(token, "/api/me").username]
        read.timeline[2].detail == [outcome: 'FOUND', note: '在家门口找到']
        read.timeline.every { it.id instanceof String && it.at != null }
        read.timeline[0].detail.fixTime == scene.at(0)
    }

    def "resolving twice is a 409, and acknowledging a resolved alert too"() {
        given:
        long ward = scene.subject('WARD')
        String id = sosAlert(ward)
        act(token, id, 'resolve', [outcome: 'FALSE_ALARM'])

        when:
        act(token, id, step, [:])

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.CONFLICT
        e.response.getBody(Map).get().detail.contains(message)

        where:
        step      || message
        'resolve' || 'already RESOLVED'
        'ack'     || 'only an OPEN alert can be acknowledged'
    }

    def "after a resolved SOS the next SOS opens a new alert"() {
        given:
        long ward = scene.subject('WARD')
        String first = sosAlert(ward, 0)
        act(token, first, 'resolve', [outcome: 'FOUND'])

        when:
        String second = sosAlert(ward, 5)

        then:
        second != first
        alerts(ward)*.properties*.status.sort() == ['OPEN', 'RESOLVED']
    }

    def "an unknown alert is 404 and a family account may neither act nor see other wards"() {
        given:
        long ward = scene.subject('WARD')
        long otherWard = scene.subject('WARD')
        String id = sosAlert(ward)
        String otherId = sosAlert(otherWard)
        String family = familyOf(ward)

        when:
        scene.get(token, "/api/alerts/999999999")
        then:
        thrown(HttpClientResponseException)

        expect:
        scene.get(family, "/api/alerts/$id").properties.id == id
        scene.get(family, "/api/alerts?type=SOS").features*.properties*.subjectId == ["$ward".toString()]

        when:
        scene.get(family, "/api/alerts/$otherId")
        then:
        def hidden = thrown(HttpClientResponseException)
        hidden.status == HttpStatus.NOT_FOUND

        when:
        act(family, id, 'ack')
        then:
        def refused = thrown(HttpClientResponseException)
        refused.status == HttpStatus.FORBIDDEN
    }

    /** A FAMILY account that may see {@code wardId}; returns its token. */
    String familyOf(long wardId) {
        String username = "family-${UUID.randomUUID()}".toString()
        String password = "pw-$username".toString()
        def user = users.save(new User(null, username, hasher.hash(password), Role.FAMILY, null))
        scene.update("INSERT INTO user_ward (user_id, ward_id) VALUES (?, ?)", user.id(), wardId)
        Accounts.login(http, username, password)
    }
}
