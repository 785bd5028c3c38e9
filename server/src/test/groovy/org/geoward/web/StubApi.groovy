package org.geoward.web

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import io.micronaut.context.annotation.Requires
import io.micronaut.core.annotation.Nullable
import io.micronaut.http.MediaType
import io.micronaut.http.annotation.Controller
import io.micronaut.http.annotation.Get
import io.micronaut.http.annotation.PathVariable
import io.micronaut.http.annotation.Produces
import io.micronaut.http.annotation.QueryValue
import io.micronaut.security.annotation.Secured
import io.micronaut.security.authentication.Authentication
import io.micronaut.security.rules.SecurityRule

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource

import javax.sql.DataSource

/**
 * Read-only stand-ins for the alert, fence and subject APIs, answering in the DESIGN.md shapes straight from the V1
 * tables. Only ConsoleSpec turns them on, and each steps aside once its feature package has a real controller.
 */
class StubApi {
    static final String FLAG = 'geoward.web.stub-api'

    static List<Map> rows(DataSource dataSource, String sql, List params = []) {
        def c = DelegatingDataSource.unwrapDataSource(dataSource).connection
        try {
            def ps = c.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p) }
            def rs = ps.executeQuery()
            def meta = rs.metaData
            List<Map> out = []
            while (rs.next()) {
                Map row = [:]
                (1..meta.columnCount).each { row[meta.getColumnLabel(it)] = rs.getObject(it) }
                out << row
            }
            return out
        } finally {
            c.close()
        }
    }

    static String iso(Object time) {
        time == null ? null : (time as java.sql.Timestamp).toInstant().toString()
    }

    static String str(Object id) {
        id == null ? null : id.toString()
    }

    @Controller('/api/alerts')
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Requires(property = StubApi.FLAG, value = 'true')
    @Requires(condition = StubApiCondition.NoAlertApi)
    static class Alerts {
        final DataSource dataSource

        Alerts(DataSource dataSource) {
            this.dataSource = dataSource
        }

        static final String SELECT = '''
            SELECT a.id, a.type, a.status, a.subject_id, s.name AS subject_name, a.fence_id, f.name AS fence_name,
                   a.opened_at, a.updated_at, a.resolved_at, a.outcome, a.assigned_officer_id, a.evidence_url, a.detail,
                   ST_X(a.pos::geometry) AS lon, ST_Y(a.pos::geometry) AS lat
            FROM alert a JOIN subject s ON s.id = a.subject_id LEFT JOIN fence f ON f.id = a.fence_id'''

        static Map feature(Map r) {
            [type: 'Feature', geometry: r.lon == null ? null : [type: 'Point', coordinates: [r.lon, r.lat]],
             properties: [id: str(r.id), type: r.type, status: r.status, subjectId: str(r.subject_id),
                          subjectName: r.subject_name, fenceId: str(r.fence_id), fenceName: r.fence_name,
                          openedAt: iso(r.opened_at), updatedAt: iso(r.updated_at), resolvedAt: iso(r.resolved_at),
                          outcome: r.outcome, assignedOfficerId: str(r.assigned_officer_id),
                          evidenceUrl: r.evidence_url, detail: r.detail]]
        }

        @Get
        @Produces(MediaType.APPLICATION_JSON)
        String list(@Nullable @QueryValue String status) {
            List<String> statuses = (status ?: 'OPEN,ACKNOWLEDGED,DISPATCHED').split(',')*.trim()
            def found = rows(dataSource, SELECT + ' WHERE a.status = ANY(?::text[]) ORDER BY a.opened_at',
                    ['{' + statuses.join(',') + '}'])
            JsonOutput.toJson([type: 'FeatureCollection', features: found.collect { feature(it) }])
        }

        @Get('/{id:[0-9]+}')
        @Produces(MediaType.APPLICATION_JSON)
        String one(@PathVariable long id) {
            def found = rows(dataSource, SELECT + ' WHERE a.id = ?', [id])
            Map f = feature(found[0])
            f.timeline = rows(dataSource, 'SELECT at, actor, action, status FROM alert_event WHERE alert_id = ? ORDER BY id', [id])
                    .collect { [at: iso(it.at), actor: it.actor, action: it.action, status: it.status] }
            JsonOutput.toJson(f)
        }
    }

    @Controller('/api/fences')
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Requires(property = StubApi.FLAG, value = 'true')
    @Requires(condition = StubApiCondition.NoFenceApi)
    static class Fences {
        final DataSource dataSource

        Fences(DataSource dataSource) {
            this.dataSource = dataSource
        }

        @Get
        @Produces(MediaType.APPLICATION_JSON)
        String list(@Nullable @QueryValue String bbox) {
            def found = rows(dataSource, '''SELECT id, name, kind, ST_AsGeoJSON(geom) AS geometry, radius_meters, buffer_meters,
                                                   dwell_minutes, hysteresis_meters, subjects::text AS subjects
                                            FROM fence WHERE retired_at IS NULL ORDER BY id''')
            def slurper = new JsonSlurper()
            JsonOutput.toJson([type: 'FeatureCollection', features: found.collect { r ->
                [type: 'Feature', geometry: slurper.parseText(r.geometry as String),
                 properties: [id: str(r.id), name: r.name, kind: r.kind, radiusMeters: r.radius_meters,
                              bufferMeters: r.buffer_meters, dwellMinutes: r.dwell_minutes,
                              hysteresisMeters: r.hysteresis_meters,
                              subjects: (r.subjects as String).replaceAll(/[{}]/, '').split(',').findAll().collect { it }]]
            }])
        }
    }

    @Controller('/api/subjects')
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Requires(property = StubApi.FLAG, value = 'true')
    @Requires(condition = StubApiCondition.NoSubjectApi)
    static class Subjects {
        final DataSource dataSource

        Subjects(DataSource dataSource) {
            this.dataSource = dataSource
        }

        @Get
        @Produces(MediaType.APPLICATION_JSON)
        String list(Authentication authentication) {
            String sql = '''SELECT s.id, s.kind, s.name, p.time, p.battery, ST_X(p.pos::geometry) AS lon, ST_Y(p.pos::geometry) AS lat
                            FROM subject s LEFT JOIN subject_position p ON p.subject_id = s.id'''
            def found = 'FAMILY' in authentication.roles
                    ? rows(dataSource, sql + ' JOIN user_ward w ON w.ward_id = s.id JOIN app_user u ON u.id = w.user_id WHERE u.username = ?',
                            [authentication.name])
                    : rows(dataSource, sql + " WHERE s.kind = 'WARD' ORDER BY s.id DESC LIMIT 200")
            JsonOutput.toJson(found.collect { r ->
                [id: str(r.id), kind: r.kind, name: r.name,
                 lastSeen: r.lon == null ? null : [type: 'Point', coordinates: [r.lon, r.lat], time: iso(r.time), battery: r.battery]]
            })
        }
    }
}
