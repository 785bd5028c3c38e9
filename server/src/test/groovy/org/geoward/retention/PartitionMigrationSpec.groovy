package org.geoward.retention

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import java.sql.Connection
import java.sql.DriverManager
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.time.temporal.ChronoUnit
import javax.sql.DataSource
import org.flywaydb.core.Flyway
import org.geoward.database.PrivateDatabase
import spock.lang.Specification

/**
 * V28 (day partitions) and V44 (partitions by kind, then day) turn the `sighting` of an existing install into the
 * partitioned table without losing a row: a database of its own in the test cluster is migrated to V27 (or V36),
 * given subjects and fixes, then migrated to the end.
 */
@MicronautTest(transactional = false)
class PartitionMigrationSpec extends Specification {
    @Inject
    DataSource dataSource

    String url(String database) {
        def connection = DelegatingDataSource.unwrapDataSource(dataSource).connection
        try {
            connection.metaData.URL.replaceFirst('/[^/?]+(\\?|$)', "/$database\$1")
        } finally {
            connection.close()
        }
    }

    String user() {
        def connection = DelegatingDataSource.unwrapDataSource(dataSource).connection
        try {
            connection.metaData.userName
        } finally {
            connection.close()
        }
    }

    /** The pool's password (the private cluster's generated one). */
    String password() {
        DelegatingDataSource.unwrapDataSource(dataSource).password ?: ""
    }

    /** Runs {@code work} as the private cluster's superuser in {@code database} (null: the server's own). */
    static void superuser(String database, Closure work) {
        def endpoint = PrivateDatabase.superuser()
        String url = database == null ? endpoint.url() : endpoint.url().replaceFirst('/[^/?]+(\\?|$)', "/$database\$1")
        DriverManager.getConnection(url, endpoint.username(), endpoint.password()).withCloseable(work)
    }

    Flyway flyway(String database, String target) {
        def config = Flyway.configure().dataSource(url(database), user(), password()).locations("classpath:db/migration")
        (target ? config.target(target) : config).load()
    }

    def "the partitioning migrations keep every fix of an install at V#from, with its log position"() {
        given: "an install at V$from with fixes today, a month ago and a year ago"
        String database = "migration_" + UUID.randomUUID().toString().replace('-', '').take(12)
        superuser(null) { it.createStatement().execute("CREATE DATABASE $database OWNER ${user()}") }
        superuser(database) { it.createStatement().execute("CREATE EXTENSION postgis") }
        flyway(database, from).migrate()
        Connection db = DriverManager.getConnection(url(database), user(), password())
        def st = db.createStatement()
        st.execute("INSERT INTO subject (id, kind, name) VALUES (1, 'WARD', 'a'), (2, 'VISITOR', 'b')")
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS)
        List<Instant> times = [now.minus(365, ChronoUnit.DAYS), now.minus(30, ChronoUnit.DAYS), now.minusSeconds(60)]
        times.eachWithIndex { t, i ->
            st.execute("INSERT INTO sighting (subject_id, time, pos, phone) VALUES (${1 + i % 2}, '$t', 'SRID=4326;POINT(107.39 29.7)', 'p$i')")
        }
        def before = rows(db, "SELECT subject_id, time, seq, phone, ST_AsText(pos) AS pos FROM sighting ORDER BY seq")

        when:
        flyway(database, null).migrate()
        def after = rows(db, "SELECT subject_id, time, seq, phone, ST_AsText(pos) AS pos FROM sighting ORDER BY seq")
        def placed = rows(db, "SELECT tableoid::regclass::text AS part FROM sighting ORDER BY seq")*.part
        long next = rows(db, "SELECT nextval('sighting_seq_seq') AS n")[0].n as long
        boolean partitioned = rows(db, "SELECT relkind::text AS k FROM pg_class WHERE relname = 'sighting'")[0].k == "p"

        then:
        partitioned
        after == before
        before.size() == 3
        placed[0] == "sighting_ward_default"
        placed[1] == "sighting_visitor_p" + LocalDate.ofInstant(times[1], ZoneId.of("Asia/Shanghai")).toString().replace("-", "")
        placed[2] == "sighting_ward_p" + LocalDate.ofInstant(times[2], ZoneId.of("Asia/Shanghai")).toString().replace("-", "")
        rows(db, "SELECT kind FROM sighting ORDER BY seq")*.kind == ["WARD", "VISITOR", "WARD"]
        next > (before*.seq.max() as long)

        cleanup:
        db?.close()
        def drop = DelegatingDataSource.unwrapDataSource(dataSource).connection
        drop.createStatement().execute("DROP DATABASE IF EXISTS $database")
        drop.close()

        where: "before day partitions (V27), and with V28's day partitions, before the kinds' (V36)"
        from << ["27", "36"]
    }

    static List<Map> rows(Connection db, String sql) {
        def rs = db.createStatement().executeQuery(sql)
        def meta = rs.metaData
        List<Map> found = []
        while (rs.next()) {
            found << (1..meta.columnCount).collectEntries { [meta.getColumnLabel(it), rs.getObject(it)] }
        }
        found
    }
}
