package org.geoward.sighting

import io.micronaut.context.annotation.Property
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.alert.AlertSpecBase

import javax.sql.DataSource

/**
 * When the database aborts a request and no further try is left, the client hears 503 with Retry-After and a detail
 * that says nothing was kept, not a 500 carrying PostgreSQL's message.
 */
@MicronautTest(transactional = false)
@Property(name = 'geoward.ingest.attempts', value = '1')
class IngestBusySpec extends AlertSpecBase {

    @Inject EmbeddedServer server
    @Inject DataSource dataSource

    def "a deadlock with no retry left answers 503 with Retry-After, and nothing of the batch is stored"() {
        given:
        long ward = scene.subject('WARD')
        assert scene.post(token, scene.fix(ward, 0, LON, LAT)).status.code == 202

        when:
        def response = new IngestDeadlock(server, dataSource, token).post(scene.fix(ward, 1, LON, LAT), scene.fix(ward, 2, LON, LAT))
        def problem = new groovy.json.JsonSlurper().parseText(response.body())

        then:
        response.statusCode() == 503
        response.headers().firstValue('Retry-After').orElse(null) == '1'
        response.headers().firstValue('Content-Type').orElse('').startsWith('application/problem+json')
        problem.status == 503
        problem.detail.contains('40P01')
        problem.detail.contains('nothing of it was kept')
        !problem.detail.toLowerCase().contains('deadlock detected')
        !response.body().contains('INSERT')
        scene.first('SELECT count(*) FROM sighting WHERE subject_id = ? AND time > ?::timestamptz', ward, scene.at(0)) == 0
    }
}
