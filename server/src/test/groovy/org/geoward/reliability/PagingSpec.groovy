package org.geoward.reliability

import groovy.json.JsonOutput
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Specification

import javax.sql.DataSource

/**
 * A family's subject and alert lists are filtered and paged by the database (limit, offset), so a page is full of
 * their own wards and never shorter because another family's rows were dropped after the query.
 */
@MicronautTest(transactional = false)
class PagingSpec extends Specification {
    @Inject @Client("/") HttpClient http
    @Inject EmbeddedServer server
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource

    def "a family pages through only their own wards and their alerts, in SQL"() {
        given: 'a family with three wards, and many other subjects and alerts before, between and after them'
        def raw = new Raw(server.URI)
        String admin = Accounts.token(http, users, hasher, Role.ADMIN)
        def ward = { raw.post('/api/subjects', JsonOutput.toJson([kind: 'WARD', name: "page-${UUID.randomUUID()}".toString()]), admin).json.id as String }
        List<String> mine = []
        List<String> others = []
        3.times {
            5.times { others << ward() }
            mine << ward()
        }
        5.times { others << ward() }
        String username = "family-${UUID.randomUUID()}".toString()
        assert raw.post('/api/users', JsonOutput.toJson([username: username, password: 'long enough 123', role: 'FAMILY', wardIds: mine]), admin).status == 201
        String family = Accounts.login(http, username, 'long enough 123')
        def sql = DelegatingDataSource.unwrapDataSource(dataSource).connection
        (mine + others).each { id ->
            def ps = sql.prepareStatement("INSERT INTO alert (type, status, subject_id, opened_at) VALUES ('WANDER', 'OPEN', ?, now())")
            ps.setLong(1, id as long)
            ps.executeUpdate()
        }
        sql.close()

        when:
        def first = raw.get('/api/subjects?kind=WARD&limit=2', family)
        def second = raw.get('/api/subjects?kind=WARD&limit=2&offset=2', family)
        def alertsFirst = raw.get('/api/alerts?limit=2', family)
        def alertsSecond = raw.get('/api/alerts?limit=2&offset=2', family)

        then: 'each page is full of their own wards, in order, and the pages meet'
        first.json*.id == mine[0..1]
        second.json*.id == [mine[2]]
        (alertsFirst.json.features*.properties.subjectId + alertsSecond.json.features*.properties.subjectId).sort() == mine.sort()
        alertsFirst.json.features.size() == 2

        and: 'a page out of range or not a number is a 400 naming the parameter'
        raw.get('/api/subjects?limit=0', family).json.errors[0].field == 'limit'
        raw.get('/api/subjects?offset=-1', family).json.errors[0].field == 'offset'
        raw.get('/api/alerts?offset=abc', family).status == 400
    }
}
