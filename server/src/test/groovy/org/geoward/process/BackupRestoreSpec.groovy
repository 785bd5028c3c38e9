package org.geoward.process

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.TimeUnit
import groovy.json.JsonSlurper
import org.flywaydb.core.Flyway
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

/**
 * The backup and restore of docs/operations.md, on a running server's private cluster: {@code pg_dump -Fc} while
 * the server runs, {@code pg_restore} into a new database, every table compared row for row, and a second server
 * started on the restored database answers with the same track and alerts. Then point-in-time recovery as the guide
 * writes it: WAL archiving switched on with {@code ALTER SYSTEM} and a restart, a {@code pg_basebackup}, fixes before
 * and after a noted time, and the base backup recovered with {@code restore_command} and {@code recovery_target_time}
 * into a cluster of its own on another port, which must hold exactly the fixes before that time.
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
        startServer()
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

    def "a base backup and the archived WAL recover the database to a point in time: the fixes before it, none after"() {
        given: 'a running server whose cluster archives its WAL as docs/operations.md says (ALTER SYSTEM, a restart)'
        startServer()
        String token = server.token("admin", PASSWORD)
        Path archive = ownedDirectory(server.dataDir.resolve("archive/wal"))
        Path base = server.dataDir.resolve("archive/base")
        server.database().withCloseable { c ->
            [wal_level      : "replica", archive_mode: "on", archive_timeout: "60s",
             archive_command: "test ! -f $archive/%f && cp %p $archive/%f".toString()].each { name, value ->
                c.createStatement().execute("ALTER SYSTEM SET $name = '$value'")
            }
        }
        def restart = server.pgCtl(120, "-D", "$server.pgData", "-l", "${server.pgRoot.resolve('server.log')}",
                "-m", "fast", "-w", "-t", "90", "restart")
        assert restart.exit == 0: "pg_ctl restart: $restart.output"
        assert ServerProcess.waitFor(60) { ready() }
        assert server.rows("SHOW archive_mode")[0][0] == "on"
        long ward = server.create("/api/subjects", [kind: "WARD", name: "recovered ward", offlineMinutes: 100_000,
                                                consent: [by: "guardian", textVersion: "test"]], token).id as long

        and: 'a base backup, taken while the server runs'
        asOwner(["${ServerProcess.pgBin()}/pg_basebackup", "-h", "127.0.0.1", "-p", "${server.databasePort()}",
                 "-U", "postgres", "-D", "$base", "-Ft", "-z", "-X", "none"])

        when: 'ten fixes are stored, the time is noted, ten more are stored, and the WAL is switched and archived'
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
        def fixes = { int from ->
            new IngestLedger.Batch((from..<from + 10).collect {
                [subjectId: ward, time: t0.plusSeconds(it * 60).toString(), lon: 107.39, lat: 29.70 + it * 0.0001, accuracy: 5]
            })
        }
        def ledger = new IngestLedger()
        ledger.postUntilAcked(server, token, fixes(0), Duration.ofSeconds(10), Duration.ofSeconds(30))
        String target = server.rows("SELECT clock_timestamp()::text")[0][0]
        ledger.postUntilAcked(server, token, fixes(10), Duration.ofSeconds(10), Duration.ofSeconds(30))
        String lastSegment = server.rows("SELECT pg_walfile_name(pg_switch_wal())")[0][0]
        boolean archived = ServerProcess.waitFor(30) { Files.exists(archive.resolve(lastSegment)) }
        List<String> stored = times(server.database(), ward)

        and: 'the base backup is unpacked into an empty data directory, restore_command and recovery_target_time set,' +
                ' recovery.signal made, and PostgreSQL started there on a port of its own'
        Path data = ownedDirectory(server.dataDir.resolve("recovered/data"))
        Path socket = ownedDirectory(server.dataDir.resolve("recovered/run"))
        asOwner(["chmod", "700", "$data"])
        asOwner(["tar", "-xzf", "$base/base.tar.gz", "-C", "$data"])
        asOwner(["sh", "-c", "printf '%s\\n' \"restore_command = 'cp $archive/%f %p'\"" +
                " \"recovery_target_time = '$target'\" \"recovery_target_action = 'promote'\"" +
                " >> '$data/postgresql.auto.conf' && touch '$data/recovery.signal'"])
        int port = ServerProcess.freePort()
        Path recoveryLog = data.parent.resolve("server.log")
        def started = server.pgCtl(120, "-D", "$data", "-l", "$recoveryLog", "-w", "-t", "90",
                "-o", "-p $port -k $socket -c listen_addresses=127.0.0.1", "start")
        String url = "jdbc:postgresql://127.0.0.1:$port/geoward"
        boolean promoted = started.exit == 0 && ServerProcess.waitFor(60) { isPrimary(url) }

        then: 'the recovered database holds exactly the ten fixes stored before the noted time'
        archived
        stored.size() == 20
        assert promoted: "recovery: $started.output\n${Files.exists(recoveryLog) ? Files.readString(recoveryLog) : ''}"
        times(connect(url), ward) == stored.take(10)

        and: "this release's migrations are all there and match: Flyway validates and has nothing to apply"
        with(Flyway.configure().dataSource(url, "postgres", password()).load()) {
            validate()
            migrate().migrationsExecuted == 0
        }
        connect(url).withCloseable { query(it, "SELECT count(*) FROM flyway_schema_history WHERE NOT success")[0][0] } == 0

        cleanup:
        if (data != null && Files.exists(data.resolve("postmaster.pid"))) {
            server.pgCtl(60, "-D", "$data", "-m", "immediate", "-w", "-t", "30", "stop")
        }
    }

    void startServer() {
        if (!server.alive) {
            server.start([GEOWARD_ADMIN_PASSWORD: PASSWORD])
        }
    }

    boolean ready() {
        try {
            server.send("GET", "/ready", null, null, Duration.ofSeconds(5)).statusCode() == 200
        } catch (IOException ignored) {
            false
        }
    }

    /** Whether the cluster at {@code url} answers and has left recovery. */
    boolean isPrimary(String url) {
        try {
            connect(url).withCloseable { !query(it, "SELECT pg_is_in_recovery()")[0][0] }
        } catch (java.sql.SQLException ignored) {
            false
        }
    }

    /** The event times of a subject's fixes, oldest first; closes the connection. */
    static List<String> times(java.sql.Connection connection, long subject) {
        connection.withCloseable { c ->
            query(c, "SELECT time FROM sighting WHERE subject_id = $subject ORDER BY time").collect { it[0].toString() }
        }
    }

    static List<List<Object>> query(java.sql.Connection c, String sql) {
        def rs = c.createStatement().executeQuery(sql)
        List<List<Object>> rows = []
        while (rs.next()) {
            rows << (1..rs.metaData.columnCount).collect { rs.getObject(it) }
        }
        rows
    }

    /** A new directory (with its parents) owned by the cluster's owner (postgres, when the tests run as root). */
    static Path ownedDirectory(Path dir) {
        Files.createDirectories(dir)
        if (System.getProperty("user.name") == "root") {
            assert new ProcessBuilder("chown", "postgres", "$dir", "$dir.parent").start().waitFor() == 0
        }
        dir
    }

    /** Runs a command as the cluster's owner (postgres, when the tests run as root), with the superuser's password. */
    void asOwner(List<String> command) {
        run(System.getProperty("user.name") == "root" ? ["runuser", "-u", "postgres", "--"] + command : command)
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
        String url = database.startsWith("jdbc:") ? database : "jdbc:postgresql://127.0.0.1:${server.databasePort()}/$database"
        java.sql.DriverManager.getConnection(url, props)
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
