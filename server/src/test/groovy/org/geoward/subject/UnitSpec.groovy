package org.geoward.subject

import io.micronaut.core.type.Argument
import io.micronaut.http.HttpMethod
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.dispatch.DispatchData
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Shared
import spock.lang.Specification

import javax.sql.DataSource

/**
 * Editable officer units through the HTTP API ({@code POST/PUT/DELETE /api/units}, {@code POST
 * /api/units/{name}/officers}): ADMIN only, renames carry the officers, work orders and grids along, a unit with
 * officers is not deleted, configured units keep their names, and every change lands in the audit trail.
 */
@MicronautTest(transactional = false)
class UnitSpec extends Specification {
    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource

    @Shared String admin
    @Shared String dispatcher
    @Shared DispatchData data

    def setup() {
        def accounts = new Accounts(http, users, hasher)
        admin = admin ?: accounts.tokenFor(Role.ADMIN)
        dispatcher = dispatcher ?: accounts.tokenFor(Role.DISPATCHER)
        data = data ?: new DispatchData(dataSource)
    }

    /** A fresh unit name, so runs on a kept database never meet. */
    static String fresh(String stem) {
        "$stem-${UUID.randomUUID().toString().take(6).toUpperCase()}".toString().replaceAll(/[^A-Z0-9_-]/, 'X')
    }

    Object send(HttpMethod method, String uri, Object body = null, String token = admin) {
        def request = HttpRequest.create(method, uri).bearerAuth(token)
        if (body != null) {
            request.body(body)
        }
        http.toBlocking().exchange(request, Object).body()
    }

    HttpClientResponseException refused(HttpMethod method, String uri, Object body = null, String token = admin) {
        try {
            send(method, uri, body, token)
        } catch (HttpClientResponseException e) {
            return e
        }
        throw new AssertionError("$method $uri was not refused")
    }

    List<Map> units() {
        http.toBlocking().retrieve(HttpRequest.GET('/api/units').bearerAuth(admin), Argument.listOf(Map))
    }

    String officer(String unit) {
        send(HttpMethod.POST, '/api/subjects', [kind: 'OFFICER', name: "officer-${UUID.randomUUID()}".toString(), unit: unit]).id
    }

    def "an admin creates a unit with a label, it is listed, and an officer can then be given it"() {
        given:
        String name = fresh('RIVER')

        when:
        def created = send(HttpMethod.POST, '/api/units', [name: name, label: '河道巡查队'])
        String officerId = officer(name)

        then:
        created.name == name
        created.label == '河道巡查队'
        !created.configured
        with(units().find { it.name == name }) {
            label == '河道巡查队'
            officers == 1
        }
        send(HttpMethod.GET, "/api/subjects/$officerId").unit == name
    }

    def "renaming a unit moves its officers, the work orders ordered to it and the grids it answers for"() {
        given:
        String old = fresh('OLD')
        String renamed = fresh('NEW')
        send(HttpMethod.POST, '/api/units', [name: old, label: '旧名'])
        String officerId = officer(old)
        long alert = data.alert('WORK_ORDER', 107.39, 29.70)
        data.update("INSERT INTO work_order (alert_id, category, source, reporter, deadline, unit) VALUES (?, 'OTHER', 'DISPATCHER', 'spec', now(), ?)", [alert, old])
        long grid = data.row("""INSERT INTO fence (name, kind, geom, area, properties) VALUES (?, 'GRID',
                ST_GeomFromText('POLYGON((107 29,107.01 29,107.01 29.01,107 29))', 4326),
                ST_GeomFromText('POLYGON((107 29,107.01 29,107.01 29.01,107 29))', 4326), jsonb_build_object('unit', ?::text))
                RETURNING id""", ["grid-${UUID.randomUUID()}", old]).id as long

        when:
        def answer = send(HttpMethod.PUT, "/api/units/$old", [name: renamed])

        then:
        answer.name == renamed
        answer.label == '旧名'
        answer.officers == 1
        send(HttpMethod.GET, "/api/subjects/$officerId").unit == renamed
        data.row('SELECT unit FROM work_order WHERE alert_id = ?', [alert]).unit == renamed
        data.row("SELECT properties->>'unit' AS unit FROM fence WHERE id = ?", [grid]).unit == renamed
        units().every { it.name != old }

        cleanup:
        data.update('UPDATE fence SET retired_at = now() WHERE id = ?', [grid])
    }

    def "a unit with officers is not deleted, and the 409 says how many; once they moved, it is"() {
        given:
        String unit = fresh('GONE')
        String other = fresh('STAY')
        send(HttpMethod.POST, '/api/units', [name: unit])
        send(HttpMethod.POST, '/api/units', [name: other])
        String a = officer(unit)
        String b = officer(unit)

        when:
        def e = refused(HttpMethod.DELETE, "/api/units/$unit")

        then:
        e.status == HttpStatus.CONFLICT
        e.response.getBody(Map).get().detail == "Unit $unit still has 2 officers; move them to another unit first".toString()

        when:
        def moved = send(HttpMethod.POST, "/api/units/$other/officers", [officerIds: [a, b]])
        send(HttpMethod.DELETE, "/api/units/$unit")

        then:
        moved.officers == 2
        send(HttpMethod.GET, "/api/subjects/$a").unit == other
        units().every { it.name != unit }
    }

    def "a configured unit keeps its name and stays, but takes a label"() {
        when:
        def rename = refused(HttpMethod.PUT, '/api/units/FISHERIES', [name: 'FISH'])
        def delete = refused(HttpMethod.DELETE, '/api/units/FISHERIES')
        def relabelled = send(HttpMethod.PUT, '/api/units/FISHERIES', [label: '渔政'])

        then:
        rename.status == HttpStatus.CONFLICT
        rename.response.getBody(Map).get().detail.contains('geoward.units')
        delete.status == HttpStatus.CONFLICT
        relabelled.label == '渔政'
        relabelled.configured

        cleanup:
        send(HttpMethod.PUT, '/api/units/FISHERIES', [label: null])
    }

    def "bad changes are refused with the field: #why"() {
        given:
        String unit = fresh('BAD')
        send(HttpMethod.POST, '/api/units', [name: unit])
        String wardId = send(HttpMethod.POST, '/api/subjects', [kind: 'WARD', name: "ward-${UUID.randomUUID()}".toString()]).id

        when:
        def e = refused(method, path.replace('UNIT', unit), body instanceof Closure ? body(wardId) : body)

        then:
        e.status == status
        (e.response.getBody(Map).get().errors?.getAt(0)?.field ?: null) == field

        where:
        why                        | method          | path                     | body                                 || status                  | field
        'name not a unit name'     | HttpMethod.POST | '/api/units'             | [name: 'river team']                 || HttpStatus.BAD_REQUEST  | 'name'
        'name missing'             | HttpMethod.POST | '/api/units'             | [label: 'x']                         || HttpStatus.BAD_REQUEST  | 'name'
        'label empty'              | HttpMethod.PUT  | '/api/units/UNIT'        | [label: ' ']                         || HttpStatus.BAD_REQUEST  | 'label'
        'name taken'               | HttpMethod.POST | '/api/units'             | [name: 'POLICE']                     || HttpStatus.CONFLICT     | null
        'rename onto a unit'       | HttpMethod.PUT  | '/api/units/UNIT'        | [name: 'POLICE']                     || HttpStatus.CONFLICT     | null
        'no such unit'             | HttpMethod.DELETE | '/api/units/NOPE-NONE' | null                                 || HttpStatus.NOT_FOUND    | null
        'move a ward'              | HttpMethod.POST | '/api/units/UNIT/officers' | { w -> [officerIds: [w]] }         || HttpStatus.BAD_REQUEST  | 'officerIds[0]'
        'move nobody'              | HttpMethod.POST | '/api/units/UNIT/officers' | [officerIds: []]                   || HttpStatus.BAD_REQUEST  | 'officerIds'
    }

    def "only an admin changes units, and each change is in the audit trail with who made it"() {
        given:
        String unit = fresh('AUDIT')
        long before = data.row('SELECT coalesce(max(id), 0) AS id FROM audit_entry').id as long

        when:
        def e = refused(HttpMethod.POST, '/api/units', [name: unit], dispatcher)
        send(HttpMethod.POST, '/api/units', [name: unit])
        send(HttpMethod.DELETE, "/api/units/$unit")
        def rows = data.rows("SELECT method, endpoint, action, status, role FROM audit_entry WHERE path IN ('/api/units', ?) AND id > ? ORDER BY id", ["/api/units/$unit", before])

        then:
        e.status == HttpStatus.FORBIDDEN
        rows.findAll { it.role == 'ADMIN' && it.action == 'CHANGE' }*.method == ['POST', 'DELETE']
        rows.find { it.method == 'DELETE' }.endpoint == '/api/units/{name}'
        rows.find { it.method == 'DELETE' }.status == 204
    }
}
