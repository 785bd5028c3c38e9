package org.geoward.account

import io.micronaut.core.type.Argument
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Specification

/**
 * Two families, two wards, each with its own safe zone: a family member reads their own ward and safe zone, and
 * gets 404 (not 403) for the other family's, so ids cannot be probed. Everything goes through the real API.
 */
@MicronautTest(transactional = false)
class FamilyScopeSpec extends Specification {

    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher

    def "a family member sees their own ward and safe zone, and nothing of another family's"() {
        given: 'two wards with a safe zone each'
        String admin = new Accounts(http, users, hasher).tokenFor(Role.ADMIN)
        String mine = post(admin, "/api/subjects", [kind: "WARD", name: "王奶奶 ${UUID.randomUUID()}".toString()]).id
        String theirs = post(admin, "/api/subjects", [kind: "WARD", name: "张爷爷 ${UUID.randomUUID()}".toString()]).id
        String myZone = post(admin, "/api/fences", circle(107.3895, 29.7060, mine)).id
        String theirZone = post(admin, "/api/fences", circle(107.3950, 29.7100, theirs)).id

        and: 'a family member of the first ward only'
        String username = "family-${UUID.randomUUID()}".toString()
        post(admin, "/api/users", [username: username, password: "long enough 123", role: "FAMILY", wardIds: [mine]])
        String family = http.toBlocking().retrieve(
                HttpRequest.POST("/login", [username: username, password: "long enough 123"]), Map).access_token

        expect: 'their own ward and safe zone'
        get(family, "/api/subjects")*.id == [mine]
        getMap(family, "/api/subjects/$mine").id == mine
        getMap(family, "/api/fences").features*.id.collect { it as String } == [myZone]
        getMap(family, "/api/fences/$myZone").id as String == myZone

        and: 'the other family is invisible: 404, as if it did not exist'
        status(family, "/api/subjects/$theirs") == HttpStatus.NOT_FOUND
        status(family, "/api/fences/$theirZone") == HttpStatus.NOT_FOUND
        status(family, "/api/subjects/$theirs/track") in [HttpStatus.NOT_FOUND, HttpStatus.FORBIDDEN]

        and: 'nor may a family member write'
        status(family, "/api/subjects", [kind: "WARD", name: "x"]) == HttpStatus.FORBIDDEN
    }

    private static Map circle(double lon, double lat, String ward) {
        [type: "Feature", geometry: [type: "Point", coordinates: [lon, lat]],
         properties: [name: "家 ${UUID.randomUUID()}".toString(), kind: "SAFE", radiusMeters: 200, subjects: [ward]]]
    }

    private Map post(String token, String path, Map body) {
        http.toBlocking().retrieve(HttpRequest.POST(path, body).bearerAuth(token), Map)
    }

    private List<Map> get(String token, String path) {
        http.toBlocking().retrieve(HttpRequest.GET(path).bearerAuth(token), Argument.listOf(Map))
    }

    private Map getMap(String token, String path) {
        http.toBlocking().retrieve(HttpRequest.GET(path).bearerAuth(token), Map)
    }

    private HttpStatus status(String token, String path, Map body = null) {
        try {
            def request = body == null ? HttpRequest.GET(path) : HttpRequest.POST(path, body)
            http.toBlocking().exchange(request.bearerAuth(token)).status
        } catch (HttpClientResponseException e) {
            e.status
        }
    }
}
