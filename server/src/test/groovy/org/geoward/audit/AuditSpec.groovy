package org.geoward.audit

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import java.sql.Connection
import java.sql.DriverManager
import java.sql.SQLException
import org.geoward.database.PrivateDatabase
import javax.sql.DataSource
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import spock.lang.Specification

@MicronautTest(transactional = false)
class AuditSpec extends Specification {
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

    @Inject
    AuditLog auditLog

    Http as(Role role) {
        new Http(server.URL, Accounts.token(micronautClient, users, hasher, role))
    }

    String unique(String name) { "$name ${UUID.randomUUID().toString().take(8)}".toString() }

    List<Map> rows(String sql, List params = []) {
        def connection = DelegatingDataSource.unwrapDataSource(dataSource).connection
        try {
            def ps = connection.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p instanceof GString ? p.toString() : p) }
            def rs = ps.executeQuery()
            def meta = rs.metaData
            List<Map> found = []
            while (rs.next()) {
                found << (1..meta.columnCount).collectEntries { [meta.getColumnLabel(it), rs.getObject(it)] }
            }
            found
        } finally {
            connection.close()
        }
    }

    /** Runs {@code sql} as the server's own database user. */
    void execute(String sql) {
        def connection = DelegatingDataSource.unwrapDataSource(dataSource).connection
        try {
            connection.createStatement().execute(sql)
        } finally {
            connection.close()
        }
    }

    /** Runs {@code sql} as the server's own database user in a transaction that is always rolled back. */
    void executeRolledBack(String sql) {
        def connection = DelegatingDataSource.unwrapDataSource(dataSource).connection
        try {
            connection.autoCommit = false
            connection.createStatement().execute(sql)
        } finally {
            connection.rollback()
            connection.autoCommit = true
            connection.close()
        }
    }

    /** A connection as the private cluster's superuser: the one who can still tamper (behind the triggers' back). */
    static Connection superuser() {
        def endpoint = PrivateDatabase.superuser()
        assert endpoint != null: 'the suite runs on the private cluster'
        DriverManager.getConnection(endpoint.url(), endpoint.username(), endpoint.password())
    }

    /** Runs {@code sql} as the superuser. */
    void tamper(String sql) {
        superuser().withCloseable { it.createStatement().execute(sql) }
    }

    String username(Http client) { client.get("/api/me").json.username }

    String ward(Http admin) {
        admin.post("/api/subjects", [kind: "WARD", name: unique("王奶奶")]).json.id
    }

    def "reading a ward's track records who looked, in which role, where, and why"() {
        given:
        def admin = as(Role.ADMIN)
        def dispatcher = as(Role.DISPATCHER)
        def auditor = as(Role.AUDITOR)
        def wardId = ward(admin)

        when:
        def track = dispatcher.get("/api/subjects/$wardId/track?limit=10", [(AuditFilter.PURPOSE_HEADER): "alert 42"])
        def page = auditor.get("/api/audit?subjectId=$wardId")

        then:
        track.status == 200
        page.status == 200
        def looked = page.json.entries.find { it.endpoint == "/api/subjects/{id}/track" }
        looked.username == username(dispatcher)
        looked.role == "DISPATCHER"
        looked.action == "READ"
        looked.method == "GET"
        looked.path == "/api/subjects/$wardId/track"
        looked.query == "limit=10"
        looked.subjectId == wardId
        looked.purpose == "alert 42"
        looked.status == 200
        looked.hash ==~ /[0-9a-f]{64}/
    }

    def "registering and changing a subject are recorded as changes by the admin"() {
        given:
        def admin = as(Role.ADMIN)

        when:
        def wardId = ward(admin)
        admin.put("/api/subjects/$wardId", [offlineMinutes: 45])
        def entries = as(Role.AUDITOR).get("/api/audit?subjectId=$wardId").json.entries

        then:
        entries*.method.containsAll(["POST", "PUT"])
        entries.findAll { it.method in ["POST", "PUT"] }*.action.unique() == ["CHANGE"]
        entries.every { it.username == username(admin) }
    }

    def "reading an alert is recorded against the alert's subject, with the alert as purpose"() {
        given:
        def admin = as(Role.ADMIN)
        def wardId = ward(admin)
        def alertId = rows("INSERT INTO alert (type, subject_id, opened_at) VALUES ('SOS', ?, now()) RETURNING id",
                [wardId as long])[0].id

        when:
        def read = admin.get("/api/alerts/$alertId")
        def entry = as(Role.AUDITOR).get("/api/audit?subjectId=$wardId").json.entries
                .find { it.endpoint == "/api/alerts/{id}" }

        then:
        read.status == 200
        entry.alertId == "$alertId"
        entry.subjectId == wardId
        entry.purpose == "alert $alertId"
    }

    def "the audit is filtered by user and read page by page, newest first"() {
        given:
        def admin = as(Role.ADMIN)
        def wardId = ward(admin)
        2.times { admin.get("/api/subjects/$wardId") }
        def auditor = as(Role.AUDITOR)
        def user = username(admin)

        when:
        def first = auditor.get("/api/audit?user=$user&limit=2").json
        def second = auditor.get("/api/audit?user=$user&limit=2&before=$first.next").json

        then: "the ward's registration and two reads"
        first.entries.size() == 2
        first.entries[0].id > first.entries[1].id
        second.entries.size() == 1
        second.entries[0].id < first.entries[1].id
        second.entries[0].method == "POST"
        second.next == null
        (first.entries + second.entries)*.username.unique() == [user]
    }

    def "bad filters are refused with the field named"() {
        when:
        def answer = as(Role.AUDITOR).get("/api/audit?$query")

        then:
        answer.status == 400
        answer.json.errors[0].field == field

        where:
        query                  || field
        "limit=0"              || "limit"
        "subjectId=abc"        || "subjectId"
        "from=yesterday"       || "from"
        "before=1.5"           || "before"
    }

    def "only an ADMIN or AUDITOR reads the audit, and an AUDITOR sees no ward or alert"() {
        given:
        def admin = as(Role.ADMIN)
        def wardId = ward(admin)
        rows("INSERT INTO alert (type, subject_id, opened_at) VALUES ('SOS', ?, now()) RETURNING id", [wardId as long])
        def auditor = as(Role.AUDITOR)

        expect:
        as(Role.DISPATCHER).get("/api/audit").status == 403
        as(Role.FAMILY).get("/api/audit").status == 403
        auditor.get("/api/subjects").status == 403
        auditor.get("/api/subjects/$wardId/track").status == 403
        auditor.get("/api/alerts").json.features == []
    }

    def "the application's database user is refused #sql by privilege, not only by the trigger"() {
        given:
        as(Role.ADMIN).get("/api/subjects")

        when:
        execute(sql)

        then:
        def e = thrown(SQLException)
        e.SQLState == '42501'
        e.message.contains("permission denied") || e.message.contains("must be owner")

        where:
        sql << ["UPDATE audit_entry SET username = 'someone else'",
                "DELETE FROM audit_entry",
                "TRUNCATE audit_entry",
                "UPDATE audit_head SET last_id = 0",
                "ALTER TABLE audit_entry DISABLE TRIGGER USER",
                "DROP TRIGGER audit_entry_no_change ON audit_entry",
                "CREATE OR REPLACE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RETURN OLD; END \$\$"]
    }

    def "the application's database user cannot drop the audit trail: #sql"() {
        when: "run in a transaction rolled back whatever happens, so a hole fails this case and not the suite"
        executeRolledBack(sql)

        then:
        def e = thrown(SQLException)
        e.SQLState == '42501'
        e.message.contains("must be owner")

        where:
        sql << ["DROP TABLE audit_entry",
                "DROP TABLE audit_head",
                "DROP FUNCTION audit_chain() CASCADE",
                "DROP FUNCTION audit_refuse() CASCADE",
                "DROP SCHEMA public CASCADE"]
    }

    def "the server's user owns neither the database nor its schema, whose owners could drop the audit trail"() {
        expect:
        rows("""SELECT pg_has_role(current_user, d.datdba, 'USAGE') AS owns_database,
                       pg_has_role(current_user, n.nspowner, 'USAGE') AS owns_schema,
                       has_database_privilege(current_database(), 'CREATE') AS creates
                FROM pg_database d, pg_namespace n
                WHERE d.datname = current_database() AND n.nspname = 'public'""")[0] ==
                [owns_database: false, owns_schema: false, creates: true]
    }

    def "the server's user may insert and read audit rows and nothing more, and is no superuser"() {
        expect:
        rows("""SELECT rolsuper, has_table_privilege('audit_entry', 'INSERT') AS ins,
                       has_table_privilege('audit_entry', 'SELECT') AS sel, has_table_privilege('audit_entry', 'UPDATE') AS upd,
                       has_table_privilege('audit_entry', 'DELETE') AS del, has_table_privilege('audit_entry', 'TRUNCATE') AS trunc,
                       pg_get_userbyid(c.relowner) AS owner
                FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'audit_entry'::regclass""")[0] ==
                [rolsuper: false, ins: true, sel: true, upd: false, del: false, trunc: false, owner: 'geoward_audit']
    }

    def "even with the triggers disabled by a superuser, the server's user cannot delete a row"() {
        given:
        as(Role.ADMIN).get("/api/subjects")
        tamper("ALTER TABLE audit_entry DISABLE TRIGGER USER")

        when:
        execute("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)")

        then:
        def e = thrown(SQLException)
        e.SQLState == '42501'

        cleanup:
        tamper("ALTER TABLE audit_entry ENABLE TRIGGER USER")
    }

    def "concurrent audit rows are committed in groups, and the chain stays intact"() {
        given:
        def auditor = as(Role.AUDITOR)
        long before = rows("SELECT coalesce(max(id), 0) AS id FROM audit_entry")[0].id as long
        def entry = { int i ->
            new AuditRecord("group-$i".toString(), 'ADMIN', AuditAction.READ, 'GET', '/api/subjects/{id}',
                    "/api/subjects/$i".toString(), null, null, null, null, "group commit $i".toString(), 200)
        }

        when: "16 threads append 25 rows each at once"
        def pool = java.util.concurrent.Executors.newFixedThreadPool(16)
        def start = new java.util.concurrent.CountDownLatch(1)
        def futures = (0..<16).collect { t ->
            pool.submit({ start.await(); 25.times { auditLog.append(entry(t * 25 + it)) } } as java.util.concurrent.Callable)
        }
        start.countDown()
        futures*.get()
        pool.shutdown()
        def added = rows("""SELECT count(*) AS n, count(DISTINCT xmin::text) AS commits, count(DISTINCT username) AS users,
                                   max(id) - min(id) + 1 AS span
                            FROM audit_entry WHERE id > ? AND username LIKE 'group-%'""", [before])[0]

        then: "every row is there once, numbered without gaps, in fewer commits than rows"
        added.n == 400
        added.users == 400
        added.commits < 400
        auditor.get("/api/audit/verify").json.intact
    }

    def "verification finds a row removed or changed behind the triggers' back"() {
        given: "a few audited requests, and the chain intact"
        def admin = as(Role.ADMIN)
        def auditor = as(Role.AUDITOR)
        3.times { admin.get("/api/subjects") }
        assert auditor.get("/api/audit/verify").json.intact
        long victim = rows("SELECT max(id) - 1 AS id FROM audit_entry")[0].id

        when: "one row in the middle is removed with the triggers disabled"
        tamper("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        def kept = rows("SELECT * FROM audit_entry WHERE id = ?", [victim])[0]
        tamper("DELETE FROM audit_entry WHERE id = $victim")
        tamper("ALTER TABLE audit_entry ENABLE TRIGGER USER")
        def removed = auditor.get("/api/audit/verify").json

        and: "put back, then one row's user changed"
        tamper("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        restore(kept)
        def restored = verifyDirect()
        tamper("UPDATE audit_entry SET username = 'nobody' WHERE id = $victim")
        def changed = verifyDirect()
        tamper("UPDATE audit_entry SET username = '${kept.username}' WHERE id = $victim")
        tamper("ALTER TABLE audit_entry ENABLE TRIGGER USER")

        then:
        !removed.intact
        removed.brokenAt == victim + 1
        removed.reason.contains("missing")
        restored.intact
        !changed.intact
        changed.brokenAt == victim
        changed.reason.contains("content")
        auditor.get("/api/audit/verify").json.intact
    }

    def "removing the newest rows shows at the head"() {
        given:
        def auditor = as(Role.AUDITOR)
        as(Role.ADMIN).get("/api/subjects")
        def last = rows("SELECT * FROM audit_entry ORDER BY id DESC LIMIT 1")[0]

        when:
        tamper("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        tamper("DELETE FROM audit_entry WHERE id = $last.id")
        def verification = verifyDirect()
        restore(last)
        tamper("ALTER TABLE audit_entry ENABLE TRIGGER USER")

        then:
        !verification.intact
        verification.reason.contains("at the end are missing")
        auditor.get("/api/audit/verify").json.intact
    }

    def "tokens in the query are never recorded"() {
        expect:
        AuditFilter.withoutTokens(query) == kept

        where:
        query                                || kept
        null                                 || null
        "access_token=abc"                   || null
        "lastEventId=3&access_token=abc.d.e" || "lastEventId=3"
        "status=OPEN&type=SOS"               || "status=OPEN&type=SOS"
    }

    def "route templates are recorded as the API document writes them"() {
        expect:
        AuditFilter.endpoint(template) == written

        where:
        template                                          || written
        "/api/alerts/{id:[0-9]+}.cap"                     || "/api/alerts/{id}.cap"
        "/api/alerts{?status,type,subjectId}"             || "/api/alerts"
        "/api/subjects/{id}/track{?from,to,limit}"        || "/api/subjects/{id}/track"
    }

    /** Verification through the service, for moments when the HTTP request would itself add a row. */
    @Inject
    AuditQueries queries

    Map verifyDirect() {
        def v = queries.verify()
        [intact: v.intact(), brokenAt: v.brokenAt(), reason: v.reason()]
    }

    private void restore(Map row) {
        def connection = superuser()
        try {
            def columns = row.keySet().toList()
            def ps = connection.prepareStatement("INSERT INTO audit_entry (${columns.join(', ')}) VALUES (${columns.collect { '?' }.join(', ')})")
            columns.eachWithIndex { c, i -> ps.setObject(i + 1, row[c]) }
            ps.executeUpdate()
        } finally {
            connection.close()
        }
    }
}
