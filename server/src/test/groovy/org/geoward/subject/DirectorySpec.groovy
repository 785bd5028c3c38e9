package org.geoward.subject

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import java.time.Instant
import java.time.temporal.ChronoUnit
import javax.sql.DataSource
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import spock.lang.Shared
import spock.lang.Specification

/**
 * Ingest remembers devices and subjects ({@link SubjectDirectory}); these specs hold it to forgetting them when they
 * change: at once for changes made through the API, within a moment for changes made behind its back (another node,
 * psql), through the database's notifications.
 */
@MicronautTest(transactional = false)
class DirectorySpec extends Specification {
    @Inject
    @Client("/")
    HttpClient http

    @Inject
    UserRepository users

    @Inject
    PasswordHasher hasher

    @Inject
    DataSource dataSource

    @Inject
    SubjectDirectory directory

    @Shared
    ApiClient admin

    @Shared
    Instant time = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)

    def setup() {
        admin = admin ?: ApiClient.loggedIn(http, users, hasher, Role.ADMIN)
    }

    String subject(String kind) {
        admin.post("/api/subjects", [kind: kind, name: "$kind ${UUID.randomUUID().toString().take(8)}"]).body.id
    }

    /** Posts one fix for the device and answers the reply's body. */
    Map fix(String uniqueId) {
        time = time.plusSeconds(10)
        admin.post("/api/sightings", [[deviceId: uniqueId, time: time.toString(), lon: 107.39, lat: 29.70, accuracy: 5,
                                        source: "GPS"]]).body as Map
    }

    long sightingsOf(String subjectId) {
        sql("SELECT count(*) FROM sighting WHERE subject_id = ?", subjectId as long)
    }

    long sql(String statement, Object... args) {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            def ps = c.prepareStatement(statement)
            args.eachWithIndex { a, i -> ps.setObject(i + 1, a) }
            if (ps.execute()) {
                def rs = ps.resultSet
                rs.next()
                return rs.getLong(1)
            }
            ps.updateCount
        }
    }

    def "a device removed through the API is refused from the next fix on, though its binding was remembered"() {
        given: 'a device whose fixes have been taken, so the directory remembers it'
        def ward = subject("WARD")
        String uniqueId = "dir-${UUID.randomUUID()}"
        def device = admin.post("/api/devices", [uniqueId: uniqueId, protocol: "JSON", subjectId: ward]).body
        assert fix(uniqueId).accepted == 1
        assert fix(uniqueId).accepted == 1

        when:
        def removed = admin.delete("/api/devices/${device.id}")
        def after = fix(uniqueId)

        then:
        removed.status == 204
        after.accepted == 0
        after.rejected*.error == ["device $uniqueId is not registered"]
    }

    def "a device re-bound behind the server's back (psql, another node) reports for its new subject within moments"() {
        given:
        def first = subject("WARD")
        def second = subject("WARD")
        String uniqueId = "dir-${UUID.randomUUID()}"
        admin.post("/api/devices", [uniqueId: uniqueId, protocol: "JSON", subjectId: first])
        assert fix(uniqueId).accepted == 1

        when: 'the binding is changed with plain SQL, then the device keeps sending'
        sql("UPDATE device SET subject_id = ? WHERE unique_id = ?", second as long, uniqueId)
        long deadline = System.currentTimeMillis() + 5_000
        while (sightingsOf(second) == 0 && System.currentTimeMillis() < deadline) {
            fix(uniqueId)
            Thread.sleep(50)
        }

        then: 'the notification reached the directory: fixes land on the new subject, and stay there'
        sightingsOf(second) > 0
        long before = sightingsOf(first)
        fix(uniqueId).accepted == 1
        sightingsOf(first) == before
    }

    def "guardians changed through the API are what the directory answers at once"() {
        given: 'a ward remembered with one guardian'
        def g1 = subject("GUARDIAN")
        def g2 = subject("GUARDIAN")
        def ward = admin.post("/api/subjects", [kind: "WARD", name: "李爷爷", guardians: [g1]]).body.id
        assert directory.find(ward as long).get().guardianIds() == [g1 as long] as Set

        when:
        def changed = admin.put("/api/subjects/$ward", [guardians: [g2]])

        then:
        changed.status == 200
        directory.find(ward as long).get().guardianIds() == [g2 as long] as Set
    }

    def "a subject renamed with plain SQL is forgotten, and so is everything after the listener reconnects"() {
        given:
        def ward = subject("WARD")
        assert directory.find(ward as long).get().name().startsWith("WARD")

        when:
        sql("UPDATE subject SET name = '改名' WHERE id = ?", ward as long)
        long deadline = System.currentTimeMillis() + 5_000
        while (directory.find(ward as long).get().name() != "改名" && System.currentTimeMillis() < deadline) {
            Thread.sleep(20)
        }

        then:
        directory.find(ward as long).get().name() == "改名"

        when: 'the listening session is cut off by the database; a change made before it listens again'
        long cut = sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity" +
                " WHERE query LIKE 'LISTEN geoward_directory%' AND pid <> pg_backend_pid()")
        sql("UPDATE subject SET name = '再改名' WHERE id = ?", ward as long)
        deadline = System.currentTimeMillis() + 10_000
        while (directory.find(ward as long).get().name() != "再改名" && System.currentTimeMillis() < deadline) {
            Thread.sleep(50)
        }

        then: 'the listener came back and the directory answers what the database holds'
        cut >= 1
        directory.find(ward as long).get().name() == "再改名"
    }
}
