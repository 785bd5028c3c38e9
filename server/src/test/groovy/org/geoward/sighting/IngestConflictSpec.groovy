package org.geoward.sighting

import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.alert.AlertSpecBase

import javax.sql.DataSource

/** A batch that PostgreSQL rolls back for a deadlock is run again, and its fix is stored once. */
@MicronautTest(transactional = false)
class IngestConflictSpec extends AlertSpecBase {

    @Inject EmbeddedServer server
    @Inject DataSource dataSource

    def "an ingest aborted by a deadlock is tried again and answers 202 with the fix stored once"() {
        given: 'a ward'
        long ward = scene.subject('WARD')
        assert scene.post(token, scene.fix(ward, 0, LON, LAT)).status.code == 202

        when: 'the next fix meets a deadlock in the database'
        def response = new IngestDeadlock(server, dataSource, token).post(scene.fix(ward, 1, LON, LAT), scene.fix(ward, 2, LON, LAT))

        then:
        response.statusCode() == 202
        response.body().contains('"accepted":2')
        scene.first('SELECT count(*) FROM sighting WHERE subject_id = ? AND time = ?::timestamptz', ward, scene.at(1)) == 1
        scene.first('SELECT count(*) FROM sighting WHERE subject_id = ? AND time = ?::timestamptz', ward, scene.at(2)) == 1
    }
}
