package org.geoward.alert

import io.micronaut.http.HttpRequest
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject

@MicronautTest(transactional = false)
class StreamSpec extends AlertSpecBase {

    @Inject EmbeddedServer server

    URI stream(String query) {
        URI.create("${server.URL}/api/alerts/stream?$query")
    }

    def "a new alert arrives on the stream as an 'opened' event with its id"() {
        given: 'a browser-style connection with the token in the query'
        long ward = scene.subject('WARD')
        def sse = new SseClient(stream("access_token=$token"))
        sse.awaitConnected()
        Thread.sleep(300)

        when:
        scene.post(token, scene.fix(ward, 0, LON, LAT, [sos: true]))
        def mine = sse.collect(1, 15) { it.data.properties.subjectId == "$ward".toString() }
                .findAll { it.data.properties.subjectId == "$ward".toString() }

        then:
        sse.status == 200
        mine.size() == 1
        mine[0].event == 'opened'
        mine[0].id ==~ /\d+/
        mine[0].data.type == 'Feature'
        mine[0].data.properties.type == 'SOS'
        mine[0].data.step.id == mine[0].id
        mine[0].data.step.action == 'OPENED'
        mine[0].id as long == scene.first("SELECT max(id) FROM alert_event WHERE alert_id = ?",
                mine[0].data.properties.id as long)

        cleanup:
        sse?.close()
    }

    def "a reconnect with Last-Event-ID replays exactly the events it missed, in order"() {
        given: 'an alert opened, then acknowledged and resolved while the client was away'
        long ward = scene.subject('WARD')
        scene.post(token, scene.fix(ward, 0, LON, LAT, [sos: true]))
        String id = alerts(ward)[0].properties.id
        long seen = scene.first("SELECT max(id) FROM alert_event WHERE alert_id = ?", id as long) as long
        http.toBlocking().retrieve(HttpRequest.POST("/api/alerts/$id/ack", [:]).bearerAuth(token), Map)
        http.toBlocking().retrieve(HttpRequest.POST("/api/alerts/$id/resolve", [outcome: 'FOUND']).bearerAuth(token), Map)
        def expected = scene.rows("SELECT id FROM alert_event WHERE alert_id = ? AND id > ? ORDER BY id", id as long, seen)
                .collect { "${it[0]}".toString() }

        when:
        def byHeader = new SseClient(stream("access_token=$token"), ['Last-Event-ID': "$seen".toString()])
        def byQuery = new SseClient(stream("access_token=$token&lastEventId=$seen"))
        def headerEvents = byHeader.collect(2, 15) { it.data.properties.id == id }
        def queryEvents = byQuery.collect(2, 15) { it.data.properties.id == id }

        then:
        [headerEvents, queryEvents].each { events ->
            def mine = events.findAll { it.data.properties.id == id }
            assert mine*.id == expected
            assert mine*.event == ['acknowledged', 'resolved']
            def ids = events*.id.collect { it as long }
            assert ids.every { it > seen }
            assert ids == ids.toSorted() && ids.toUnique().size() == ids.size()
        }

        cleanup:
        byHeader?.close()
        byQuery?.close()
    }

    def "the stream refuses a request without a token"() {
        when:
        def sse = new SseClient(stream(""))
        sse.awaitConnected()

        then:
        sse.status == 401

        cleanup:
        sse?.close()
    }
}
