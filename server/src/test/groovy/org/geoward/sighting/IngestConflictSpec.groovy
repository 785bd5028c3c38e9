package org.geoward.sighting

import io.micronaut.context.annotation.Property
import io.micronaut.data.jdbc.runtime.JdbcOperations
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.geoward.alert.Scene
import org.geoward.fence.FenceCatalog
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Specification

import javax.sql.DataSource
import java.sql.Connection

import static org.geoward.alert.Scene.LAT
import static org.geoward.alert.Scene.LON

/** A batch that PostgreSQL rolls back for a deadlock is run again, and its fix is stored once. */
@MicronautTest(transactional = false)
class IngestConflictSpec extends Specification {

    @Inject EmbeddedServer server
    @Inject DataSource dataSource
    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject JdbcOperations jdbc
    @Inject TransactionOperations<Connection> tx
    @Inject FenceCatalog catalog

    def "an ingest aborted by a deadlock is tried again and answers 202 with the fix stored once"() {
        given: 'a ward with a latest position'
        def scene = new Scene(http, jdbc, tx, catalog)
        String token = Accounts.token(http, users, hasher, Role.DISPATCHER)
        long ward = scene.subject('WARD')
        assert scene.post(token, scene.fix(ward, 0, LON, LAT)).status.code == 202

        when: 'the next fix meets a deadlock in the database'
        def response = new IngestDeadlock(server, dataSource, token).post(ward, scene.fix(ward, 1, LON, LAT))

        then:
        response.statusCode() == 202
        response.body().contains('"accepted":1')
        scene.first('SELECT count(*) FROM sighting WHERE subject_id = ? AND time = ?::timestamptz', ward, scene.at(1)) == 1
        scene.first('SELECT last_fix_at = ?::timestamptz FROM subject_state WHERE subject_id = ?', scene.at(1), ward)
    }
}
