package org.geoward.audit

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import java.nio.file.Files
import java.nio.file.Path
import javax.sql.DataSource
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import org.yaml.snakeyaml.Yaml
import groovy.transform.Memoized
import spock.lang.Shared
import spock.lang.Specification

/**
 * Every operation of the API document is called once as an ADMIN, and each must leave its audit row, unless it is
 * one of the few marked {@link NotAudited} below. A new endpoint is audited by default; one marked NotAudited without
 * being added here fails this spec, and so does one listed here that is audited after all. Reads use real ids (a
 * ward, its alert, a fence); changes use ids that do not exist, so that they change nothing and still are recorded.
 */
@MicronautTest(transactional = false)
class AuditCoverageSpec extends Specification {
    /** The operations that carry no one's personal data: reviewed, each with its NotAudited reason in the code. */
    static final Set<String> NOT_AUDITED = ["GET /api/me", "GET /api/reports/response-times", "POST /api/sightings",
                                            "GET /api/retention", "POST /api/notify/templates/preview"]
    static final String MISSING = "987654321"

    @Inject
    EmbeddedServer server

    @Inject
    @Client("/")
    HttpClient micronautClient

    @Inject
    UserRepository users

    @Inject
    PasswordHasher hasher

    @Inject
    DataSource dataSource

    @Shared
    Map<String, String> ids = [:]

    /** The operations of the API document: "METHOD /path/{template}". */
    static List<String> operations() {
        document().keySet().sort()
    }

    /**
     * Each operation of the API document with the first media type its body may have (JSON when it has none); read
     * once per test JVM.
     */
    @Memoized
    static Map<String, String> document() {
        Path dir = Path.of(AuditCoverageSpec.getResource("/META-INF/swagger").toURI())
        Path document = Files.list(dir).filter { it.toString().endsWith(".yml") }.findFirst().orElseThrow()
        Map api = new Yaml().load(Files.readString(document))
        Map<String, String> found = [:]
        api.paths.each { String path, Map methods ->
            methods.findAll { it.key in ["get", "post", "put", "delete", "patch"] }.each { String method, Map op ->
                if (path.startsWith("/api/")) {
                    String type = (op.requestBody?.content as Map)?.keySet()?.find() ?: "application/json"
                    found["${method.toUpperCase()} $path".toString()] = type
                }
            }
        }
        found
    }

    Object first(String sql, List params = []) {
        def connection = DelegatingDataSource.unwrapDataSource(dataSource).connection
        try {
            def ps = connection.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p) }
            def rs = ps.executeQuery()
            rs.next() ? rs.getObject(1) : null
        } finally {
            connection.close()
        }
    }

    def "the API document lists the location-reading endpoints this spec expects"() {
        expect: "a sanity check that the document was found and read"
        operations().containsAll(["GET /api/subjects/{id}/track", "GET /api/alerts", "GET /api/alerts/{id}",
                                  "GET /api/subjects/{id}", "GET /api/fences/{id}/occupants",
                                  "GET /api/notifications", "GET /api/officers", "GET /api/audit"])
    }

    def "#operation is audited unless it carries no personal data"() {
        given:
        def token = Accounts.token(micronautClient, users, hasher, Role.ADMIN)
        def admin = new Http(server.URL, token)
        String username = admin.get("/api/me").json.username
        if (ids.isEmpty()) {
            def ward = admin.post("/api/subjects", [kind: "WARD", name: "覆盖测试 ${UUID.randomUUID()}".toString()]).json.id
            ids.subject = ward
            ids.alert = first("INSERT INTO alert (type, subject_id, opened_at) VALUES ('SOS', ?, now()) RETURNING id",
                    [ward as long]).toString()
            ids.fence = admin.post("/api/fences", [type      : "Feature",
                                                   geometry  : [type: "Point", coordinates: [107.39, 29.70]],
                                                   properties: [name: "覆盖测试", kind: "SAFE", radiusMeters: 100]])
                    .json?.id?.toString() ?: MISSING
        }
        def (method, template) = operation.split(" ", 2)
        boolean reads = method == "GET"
        String path = template.replaceAll(/\{id}/) {
            if (!reads) return MISSING
            template.startsWith("/api/alerts/") ? ids.alert
                    : template.startsWith("/api/fences/") ? ids.fence
                    : template.startsWith("/api/subjects/") ? ids.subject : MISSING
        }.replaceAll(/\{[^}]+}/, MISSING)   // other path variables (a unit's {name}): one that does not exist
        long before = first("SELECT coalesce(max(id), 0) FROM audit_entry") as long

        when:
        String type = document()[operation]
        def answer = admin.send(method, path, reads ? null : (type.contains("json") ? "{}" : ""), [:], type)
        long recorded = first("SELECT count(*) FROM audit_entry WHERE id > ? AND username = ? AND method = ? AND endpoint = ?",
                [before, username, method, template]) as long

        then: "the request reached its endpoint (not refused before routing)"
        !(answer.status in [401, 403, 405, 415])

        and:
        recorded == (operation in NOT_AUDITED ? 0 : 1)

        where:
        operation << operations()
    }
}
