package org.geoward.reliability

import groovy.json.JsonOutput
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.web.router.Router
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import org.yaml.snakeyaml.Yaml
import spock.lang.Shared
import spock.lang.Specification

import javax.sql.DataSource

/**
 * Every operation of the OpenAPI document the build generates, called by every role: ADMIN, DISPATCHER, a POLICE
 * and a FISHERIES officer, FAMILY (with another family's ward and alert in the path), and nobody. A failing cell
 * names the operation and the role. What each cell must answer:
 * <ul>
 * <li>nobody: 401 on every {@code /api/**} operation;</li>
 * <li>ADMIN-only operations (devices, users, webhooks, retention, message templates): 403 for every other role;</li>
 * <li>FAMILY with another family's ids: never a 2xx;</li>
 * <li>an officer with a subject outside their task (POLICE: a ward whose only alert is a LOITER; FISHERIES: a ward whose open
 * alert is a WANDER, which POLICE answers): never a 2xx under {@code /api/subjects/{id}}, and 404 (not 403, which
 * would say it exists) for the reads a role of theirs may make;</li>
 * <li>an officer with an alert outside their task (POLICE: a LOITER, which FISHERIES answers; FISHERIES: a WANDER),
 * neither assigned to them: never a 2xx under {@code /api/alerts/{id}}, and 404 for the reads;</li>
 * <li>FAMILY with their own ward's and alert's ids ({@code FAMILY (own)}): their ward and alert read with 200
 * ({@link #OWN_READS}), no other read under their ids a 404 (that would hide their own data);</li>
 * <li>any role: never a 500, and a token that was accepted (no 401).</li>
 * <li>the operations outside {@code /api/} (probes, metrics, the console's config, the citizen page and reports, the
 * device and sensor doors): never a 500 for any role; the device doors ({@code /ingest/**}) are 401 for every role,
 * since a user's token is no device's credentials; the probes and the console's config answer everybody.</li>
 * </ul>
 * Path ids are unknown (999999999) except a FAMILY's and an officer's subject and alert ids, so staff
 * writes touch nothing. {@link #everyOperationHasItsCells} checks that no operation of the document is left out.
 */
@MicronautTest(transactional = false)
class AccessMatrixSpec extends Specification {
    static final String UNKNOWN = '999999999'
    static final List<String> ADMIN_ONLY = ['/api/devices', '/api/users', '/api/webhooks', '/api/retention', '/api/notify/templates']
    /** Streams that never end, checked only without a token. */
    static final List<String> STREAMS = ['/api/alerts/stream']
    static final List<String> ROLES = ['ADMIN', 'DISPATCHER', 'POLICE', 'FISHERIES', 'FAMILY', 'FAMILY (own)', 'none']
    /** The reads a FAMILY makes of their own ward and alert: 200. */
    static final List<String> OWN_READS = ['GET /api/subjects/{id}', 'GET /api/alerts/{id}']
    /** Outside {@code /api/}: answered to everybody. */
    static final List<String> PUBLIC = ['/live', '/ready', '/config.json']
    /** Routes that are Micronaut's, not Geoward's operations: not in the document, not in the matrix. */
    static final List<String> BUILT_IN = ['/login', '/logout', '/health', '/health/{selector}', '/oauth/access_token', '/token_info']

    @Inject @Client("/") HttpClient http
    @Inject EmbeddedServer server
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource
    @Inject Router router

    @Shared Raw raw
    @Shared Map<String, String> tokens
    @Shared String otherWard
    @Shared String otherAlert
    @Shared String quietWard
    @Shared String fisheriesAlert
    @Shared String ownWard
    @Shared String ownAlert

    static List<Map> operations() {
        def yml = AccessMatrixSpec.classLoader.getResourceAsStream('META-INF/swagger/geoward-0.1.yml')
        assert yml != null: 'the build generates the OpenAPI document'
        Map doc = new Yaml().load(yml) as Map
        List<Map> ops = []
        (doc.paths as Map).each { String path, Map methods ->
            methods.keySet().findAll { it in ['get', 'post', 'put', 'delete', 'patch'] }.each { ops << [path: path, method: it.toUpperCase()] }
        }
        ops
    }

    def setup() {
        if (raw != null) {
            return
        }
        raw = new Raw(server.URI)
        def sql = DelegatingDataSource.unwrapDataSource(dataSource).connection
        def insert = { String q, List p ->
            def ps = sql.prepareStatement(q)
            p.eachWithIndex { v, i -> ps.setObject(i + 1, v) }
            def rs = ps.executeQuery()
            rs.next()
            rs.getLong(1)
        }
        long police = insert("INSERT INTO subject (kind, name, unit, status) VALUES ('OFFICER', ?, 'POLICE', 'OFF_DUTY') RETURNING id", ["matrix-police-${UUID.randomUUID()}".toString()])
        long fisheries = insert("INSERT INTO subject (kind, name, unit, status) VALUES ('OFFICER', ?, 'FISHERIES', 'OFF_DUTY') RETURNING id", ["matrix-fish-${UUID.randomUUID()}".toString()])
        long mine = insert("INSERT INTO subject (kind, name) VALUES ('WARD', ?) RETURNING id", ["matrix-mine-${UUID.randomUUID()}".toString()])
        long theirs = insert("INSERT INTO subject (kind, name) VALUES ('WARD', ?) RETURNING id", ["matrix-theirs-${UUID.randomUUID()}".toString()])
        otherWard = theirs.toString()
        quietWard = insert("INSERT INTO subject (kind, name) VALUES ('WARD', ?) RETURNING id", ["matrix-quiet-${UUID.randomUUID()}".toString()]).toString()
        ownWard = mine.toString()
        ownAlert = insert("INSERT INTO alert (type, status, subject_id, opened_at) VALUES ('WANDER', 'OPEN', ?, now()) RETURNING id", [mine]).toString()
        otherAlert = insert("INSERT INTO alert (type, status, subject_id, opened_at) VALUES ('WANDER', 'OPEN', ?, now()) RETURNING id", [theirs]).toString()
        fisheriesAlert = insert("INSERT INTO alert (type, status, subject_id, opened_at, pos) VALUES ('LOITER', 'OPEN', ?, now(), 'SRID=4326;POINT(95.1 30.1)') RETURNING id", [quietWard as long]).toString()
        sql.close()
        String admin = Accounts.token(http, users, hasher, Role.ADMIN)
        String username = "matrix-family-${UUID.randomUUID()}".toString()
        assert raw.post('/api/users', JsonOutput.toJson([username: username, password: 'long enough 123', role: 'FAMILY', wardIds: [mine.toString()]]), admin).status == 201
        tokens = [ADMIN     : admin,
                  DISPATCHER: Accounts.token(http, users, hasher, Role.DISPATCHER),
                  POLICE    : Accounts.token(http, users, hasher, Role.OFFICER, police),
                  FISHERIES : Accounts.token(http, users, hasher, Role.OFFICER, fisheries),
                  FAMILY    : Accounts.login(http, username, 'long enough 123')]
        tokens['FAMILY (own)'] = tokens.FAMILY
    }

    /** The path with its ids filled in for {@code role}. */
    String fill(String path, String role) {
        if (role == 'FAMILY (own)') {
            path = path.startsWith('/api/subjects/') ? path.replace('{id}', ownWard) : path
            path = path.startsWith('/api/alerts/') ? path.replace('{id}', ownAlert) : path
        }
        if (role == 'FAMILY') {
            path = path.startsWith('/api/subjects/') ? path.replace('{id}', otherWard) : path
            path = path.startsWith('/api/alerts/') ? path.replace('{id}', otherAlert) : path
        }
        if (role in OFFICERS && path.startsWith('/api/subjects/')) {
            path = path.replace('{id}', role == 'POLICE' ? quietWard : otherWard)
        }
        if (role in OFFICERS && path.startsWith('/api/alerts/')) {
            path = path.replace('{id}', role == 'POLICE' ? fisheriesAlert : otherAlert)
        }
        path.replaceAll(/\{[^}]+}/, UNKNOWN)
    }

    static final List<String> OFFICERS = ['POLICE', 'FISHERIES']

    Raw.Answer call(Map op, String role) {
        String path = fill(op.path as String, role)
        String token = role == 'none' ? null : tokens[role]
        boolean body = op.method in ['POST', 'PUT', 'PATCH']
        if (path.endsWith('/import')) {
            return raw.send(op.method as String, path, body ? '' : null, token, 'text/csv')
        }
        raw.send(op.method as String, path, body ? '{}' : null, token)
    }

    /** The cells of the operations under {@code /api/}, streams only without a token. */
    static List<List> apiCells() {
        [operations().findAll { (it.path as String).startsWith('/api/') }, ROLES]
                .combinations()
                .findAll { o, r -> r == 'none' || !(o.path in STREAMS) }
    }

    /** The cells of the operations outside {@code /api/}. */
    static List<List> otherCells() {
        [operations().findAll { !(it.path as String).startsWith('/api/') }, ROLES].combinations()
    }

    def "every route the server answers is an operation of the OpenAPI document, so it has its cells"() {
        given: "the server's own routes but Micronaut's (login, health, static files) and the console's page"
        Set<String> documented = operations().collect { "${it.method} ${it.path}".toString() } as Set
        List<String> routes = router.uriRoutes()
                .filter { it.httpMethodName != 'HEAD' }  // every GET answers HEAD too
                .map { "${it.httpMethodName} ${it.uriMatchTemplate.toPathString().replaceAll(/\{[?&][^}]*}/, '').replaceAll(/\{(\w+):[^}]*}/, '{$1}')}".toString() }
                .filter { !(it.split(' ')[1] in BUILT_IN) }
                .toList()
        List<String> undocumented = routes.findAll { !(it in documented) }.unique().sort()

        expect:
        routes.size() >= 60
        undocumented == []
        (apiCells() + otherCells()).size() == operations().size() * ROLES.size() - STREAMS.size() * (ROLES.size() - 1)
    }

    def "every JSON request body in the OpenAPI document is shown as a JSON object or array, not as a string"() {
        given: 'the controllers take JSON bodies as text or bytes (to give their own error texts), which the document would show as a string'
        def yml = AccessMatrixSpec.classLoader.getResourceAsStream('META-INF/swagger/geoward-0.1.yml')
        Map doc = new Yaml().load(yml) as Map
        Map schemas = (doc.components as Map)?.schemas as Map ?: [:]
        List<String> shownAsText = []
        int bodies = 0
        (doc.paths as Map).each { String path, Map methods ->
            methods.each { String method, op ->
                Map content = op instanceof Map ? (op.requestBody as Map)?.content as Map : null
                content?.findAll { String type, c -> type.contains('json') || type == '*/*' }?.each { String type, Map c ->
                    bodies++
                    Map schema = c.schema as Map
                    if (schema?.'$ref') {
                        schema = schemas[(schema.'$ref' as String).tokenize('/').last()] as Map
                    }
                    if (!(schema?.type in ['object', 'array'])) {
                        shownAsText << "${method.toUpperCase()} $path ($type): $schema".toString()
                    }
                }
            }
        }

        expect:
        bodies >= 30
        shownAsText == []
    }

    def "#op.method #op.path as #role: no 500; the device doors are 401, the probes answer everybody"() {
        when:
        def answer = call(op, role)

        then:
        answer.status != 500
        if ((op.path as String).startsWith('/ingest/')) {
            assert answer.status == 401: "a user's token or none is no device's credentials: $answer"
        }
        if (op.path in PUBLIC) {
            assert answer.status in [200, 503]: "a probe or the console's config refused $role: $answer"
        }

        where:
        [op, role] << otherCells()
    }

    def "#op.method #op.path as #role: #rule"() {
        when:
        def answer = call(op, role)

        then:
        answer.status != 500
        if (role == 'FAMILY (own)' && "${op.method} ${op.path}".toString() in OWN_READS) {
            assert answer.status == 200: "a family could not read their own ward or alert: $answer"
        }
        if (role == 'FAMILY (own)' && op.method == 'GET' &&
                ((op.path as String).startsWith('/api/subjects/{id}') || (op.path as String).startsWith('/api/alerts/{id}'))) {
            assert answer.status != 404: "a family's own ward or alert was hidden from them: $answer"
        }
        if (role == 'none') {
            assert answer.status == 401
        } else {
            assert answer.status != 401
        }
        if (role != 'none' && role != 'ADMIN' && ADMIN_ONLY.any { (op.path as String).startsWith(it) }) {
            assert answer.status == 403
        }
        if (role == 'FAMILY' && ((op.path as String).startsWith('/api/subjects/{id}') || (op.path as String).startsWith('/api/alerts/{id}'))) {
            assert !(answer.status in 200..299): "a family reached another family's ward or alert: $answer"
        }
        if (role in OFFICERS && (op.path as String).startsWith('/api/subjects/{id}')) {
            assert !(answer.status in 200..299): "an officer reached a subject outside their task: $answer"
            if (op.method == 'GET' && answer.status != 403) {
                assert answer.status == 404: "an officer's read of a subject outside their task must be 404: $answer"
            }
        }
        if (role in OFFICERS && (op.path as String).startsWith('/api/alerts/{id}')) {
            assert !(answer.status in 200..299): "an officer reached an alert outside their task: $answer"
            if (op.method == 'GET' && answer.status != 403) {
                assert answer.status == 404: "an officer's read of an alert outside their task must be 404: $answer"
            }
        }

        where:
        [op, role] << apiCells()
        rule = role == 'none' ? '401' : role == 'FAMILY' ? "not another family's data, no 500"
                : role == 'FAMILY (own)' ? 'their own ward and alert, no 500'
                : role in OFFICERS ? 'no subject or alert outside their task, no 500' : 'no 500, token accepted'
    }
}
