package org.geoward.process

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.TimeUnit
import groovy.json.JsonSlurper
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

/**
 * The backup and restore of docs/operations.md, on a running server's private cluster: {@code pg_dump -Fc} while
 * the server runs, {@code pg_restore} into a new database, every table compared row for row, and a second server
 * started on the restored database answers with the same track and alerts.
 */
class BackupRestoreSpec extends Specification {
    static final String PASSWORD = "backup-spec-admin-pw"

    @Shared
    @AutoCleanup
    ServerProcess server = new ServerProcess("geoward-backup")

    @Shared
    @AutoCleanup
    ServerProcess restored = new ServerProcess("geoward-restored")

    def "a dump of the running server restores to the same rows, and a server on the restored database serves them"() {
        given: 'a server with a ward, its safe zone, a walk out of it (WANDER) and an SOS'
        server.start([GEOWARD_ADMIN_PASSWORD: PASSWORD])
        String token = server.token("admin", PASSWORD)
        long ward = server.create("/api/subjects", [kind: "WARD", name: "backed-up ward", offlineMinutes: 100_000,
                                                consent: [by: "guardian", textVersion: "test"]], token).id as long
        server.create("/api/fences", [type: "Feature", geometry: [type: "Point", coordinates: [107.39, 29.70]],
                properties: [name: "home", kind: "SAFE", radiusMeters: 200, subjects: [ward]]], token)
        Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
        def walk = (0..39).collect { [subjectId: ward, time: t0.plusSeconds(it * 60).toString(), lon: 107.39 + it * 0.0005,
                                      lat: 29.70, accuracy: 5] }
        walk << [subjectId: ward, time: t0.plusSeconds(41 * 60).toString(), lon: 107.41, lat: 29.70, sos: true]
        assert server.post("/api/sightings", walk, token).statusCode() == 202
        assert ServerProcess.waitFor(30) { alerts(server, token, ward).size() == 2 }

        when: 'the database is dumped while the server runs (and writes checkpoints), and restored into a new database'
        Path dump = server.dataDir.resolve("geoward.dump")
        Map<String, List> before = [:]
        server.database().withCloseable { c ->
            // the dump's snapshot, shared with this transaction: what it must contain is what this transaction sees
            c.autoCommit = false
            c.transactionIsolation = java.sql.Connection.TRANSACTION_REPEATABLE_READ
            def rs = c.createStatement().executeQuery("SELECT pg_export_snapshot()")
            rs.next()
            String snapshot = rs.getString(1)
            run(["pg_dump", "-h", "127.0.0.1", "-p", "${server.databasePort()}", "-U", "postgres", "-Fc",
                 "--snapshot=$snapshot", "-f", "$dump", "geoward"])
            tables(c).each { before[it] = fingerprint(c, it) }
            c.rollback()
        }
        server.database().withCloseable { it.createStatement().execute("CREATE DATABASE restored") }
        run(["pg_restore", "-h", "127.0.0.1", "-p", "${server.databasePort()}", "-U", "postgres", "-d", "restored",
             "--exit-on-error", "$dump"])

        then: 'every table has the same rows in the restored database as in the dump\'s snapshot'
        before.keySet().containsAll(["sighting", "alert", "alert_event", "fence", "subject", "flyway_schema_history"])
        before.sighting[0] == 41
        connect("restored").withCloseable { c ->
            assert tables(c) == before.keySet().toList()
            before.each { table, expected -> assert fingerprint(c, table) == expected: "table $table differs after restore" }
            true
        }

        when: 'a second server runs on the restored database'
        restored.start([GEOWARD_ADMIN_PASSWORD: PASSWORD,
                        GEOWARD_DB_URL: "jdbc:postgresql://127.0.0.1:${server.databasePort()}/restored".toString(),
                        GEOWARD_DB_USER: "postgres", GEOWARD_DB_PASSWORD: password()])
        String restoredToken = restored.token("admin", PASSWORD)

        then: 'it serves the same track and the same alerts'
        track(restored, restoredToken, ward) == track(server, token, ward)
        track(restored, restoredToken, ward).size() == 41
        alerts(restored, restoredToken, ward)*.properties*.type.sort() == ['SOS', 'WANDER']
    }

    static List<String> tables(java.sql.Connection c) {
        def rs = c.createStatement().executeQuery("""SELECT table_name FROM information_schema.tables
                WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1""")
        List<String> names = []
        while (rs.next()) {
            names << rs.getString(1)
        }
        names
    }

    /** Row count and an md5 over the table's rows as text, in a fixed order. */
    static List fingerprint(java.sql.Connection c, String table) {
        def rs = c.createStatement().executeQuery(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"$table\" t")
        rs.next()
        [rs.getLong(1), rs.getString(2)]
    }

    java.sql.Connection connect(String database) {
        def props = new Properties()
        props.setProperty("user", "postgres")
        props.setProperty("password", password())
        java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:${server.databasePort()}/$database", props)
    }

    String password() {
        Files.readString(server.pgRoot.resolve("password")).trim()
    }

    void run(List<String> command) {
        def builder = new ProcessBuilder(command.collect { it.toString() }).redirectErrorStream(true)
        builder.environment().put("PGPASSWORD", password())
        def process = builder.start()
        String output = process.inputStream.text
        assert process.waitFor(120, TimeUnit.SECONDS) && process.exitValue() == 0: "${command[0]}: $output"
    }

    static List track(ServerProcess s, String token, long ward) {
        def from = Instant.now().minus(Duration.ofDays(1))
        def body = s.send("GET", "/api/subjects/$ward/track?from=$from&to=${Instant.now().plusSeconds(600)}", null, token,
                Duration.ofSeconds(10)).body()
        new JsonSlurper().parseText(body).features*.properties*.time
    }

    static List<Map> alerts(ServerProcess s, String token, long ward) {
        def body = s.send("GET", "/api/alerts?subjectId=$ward", null, token, Duration.ofSeconds(10)).body()
        (new JsonSlurper().parseText(body).features ?: []) as List<Map>
    }
}
