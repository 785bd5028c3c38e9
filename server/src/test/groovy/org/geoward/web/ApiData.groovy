package org.geoward.web

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient

import javax.sql.DataSource
import java.time.Instant

/**
 * Makes the browser specs' data through the real APIs with an admin's token: subjects ({@code POST /api/subjects}),
 * devices ({@code POST /api/devices}), fences ({@code POST /api/fences}) and sightings ({@code POST /api/sightings}),
 * so alerts are raised by the evaluator as in production. Only the FAMILY user's link to a ward is SQL: no API
 * writes {@code user_ward} yet.
 */
class ApiData {
    final HttpClient http
    final String token
    final DataSource dataSource

    ApiData(HttpClient http, String adminToken, DataSource dataSource) {
        this.http = http
        this.token = adminToken
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource)
    }

    Map post(String uri, Object body) {
        http.toBlocking().exchange(HttpRequest.POST(uri, body).bearerAuth(token), Map).body()
    }

    Object get(String uri) {
        http.toBlocking().retrieve(HttpRequest.GET(uri).bearerAuth(token), Object)
    }

    /** A subject of kind with name; returns its id. Wards get a long offline limit so the OFFLINE job leaves them be. */
    String subject(String kind, String name, Map extra = [:]) {
        Map body = [kind: kind, name: name] + (kind == 'WARD' ? [offlineMinutes: 600] : [:]) + extra
        post('/api/subjects', body).id as String
    }

    String ward(String name) {
        subject('WARD', name)
    }

    /** An OFFICER of unit whose phone (a JSON device) reports lon/lat now; returns the officer's id. */
    String officer(String name, String unit, double lon, double lat) {
        String id = subject('OFFICER', name, [unit: unit, travelMode: 'WALK'])
        String phone = "phone-${UUID.randomUUID()}".toString()
        post('/api/devices', [uniqueId: phone, protocol: 'JSON', subjectId: id])
        sightings([[deviceId: phone, time: Instant.now().minusSeconds(20).toString(), lon: lon, lat: lat, accuracy: 5]])
        return id
    }

    final List<String> fences = []

    /** A fence Feature; returns its id. */
    String fence(String name, String kind, Map geometry, Map properties = [:]) {
        String id = post('/api/fences', [type: 'Feature', geometry: geometry, properties: [name: name, kind: kind] + properties]).id as String
        fences << id
        return id
    }

    /** Retires every fence made here (and any given), so a kept database does not carry them into the next run. */
    void retireFences(List<String> more = []) {
        (fences + more).each { http.toBlocking().exchange(HttpRequest.DELETE("/api/fences/$it").bearerAuth(token)) }
        fences.clear()
    }

    String circle(String name, String kind, double lon, double lat, double radius, List<String> subjects = []) {
        fence(name, kind, [type: 'Point', coordinates: [lon, lat]], [radiusMeters: radius, subjects: subjects])
    }

    /** Posts sightings; each must be accepted. */
    void sightings(List<Map> fixes) {
        Map answer = post('/api/sightings', fixes)
        assert answer.accepted == fixes.size(): "sightings refused: ${answer.rejected}"
    }

    /** A fix of subject at lon/lat, secondsAgo before now. */
    static Map fix(String subjectId, double lon, double lat, long secondsAgo, Map extra = [:]) {
        [subjectId: subjectId, time: Instant.now().minusSeconds(secondsAgo).toString(), lon: lon, lat: lat, accuracy: 5] + extra
    }

    /** The subject's alerts (FeatureCollection features), newest first. */
    List<Map> alerts(String subjectId) {
        (get("/api/alerts?subjectId=$subjectId") as Map).features as List<Map>
    }

    /** The id of subject's only alert of type (in fenceId, when given). */
    String alertOf(String subjectId, String type, String fenceId = null) {
        def found = alerts(subjectId).findAll { it.properties.type == type && (fenceId == null || it.properties.fenceId == fenceId) }
        assert found.size() == 1: "expected one $type alert of $subjectId, got ${alerts(subjectId)*.properties}"
        found[0].properties.id as String
    }

    /** Links a FAMILY user to a ward (SQL: there is no API for user_ward). */
    void wardOf(String username, String wardId) {
        def c = dataSource.connection
        try {
            def ps = c.prepareStatement('INSERT INTO user_ward (user_id, ward_id) SELECT id, ? FROM app_user WHERE username = ?')
            ps.setLong(1, wardId as long)
            ps.setString(2, username)
            assert ps.executeUpdate() == 1
        } finally {
            c.close()
        }
    }
}
