package org.geoward.database

import java.nio.file.Files
import java.nio.file.Path
import java.sql.DriverManager
import spock.lang.Specification
import spock.lang.TempDir

/**
 * The private PostGIS cluster on its own, outside Micronaut: created, restarted with its data, recovered after its
 * postmaster is killed, and refused in one clear sentence when PostGIS is missing.
 */
class PrivateClusterSpec extends Specification {

    @TempDir
    Path dataDir

    def setup() {
        // as root the cluster runs as user postgres, who must be able to enter the temporary directory
        dataDir.toFile().setExecutable(true, false)
        dataDir.toFile().setReadable(true, false)
    }

    def "a new cluster keeps its data across a stop and a start"() {
        given:
        def cluster = new PrivateCluster(dataDir, null, false)
        def endpoint = cluster.start()
        sql(endpoint, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')")

        when:
        cluster.stop()
        def again = new PrivateCluster(dataDir, null, false).start()

        then:
        query(again, "SELECT v FROM kept") == 'still here'
        query(again, "SELECT postgis_lib_version()") =~ /^3\./

        cleanup:
        cluster.stop()
    }

    def "the server connects as a role of its own, no superuser, and gets what an earlier version made as the superuser"() {
        given: 'a cluster where the superuser made a table, as Geoward did before it had a role of its own'
        def cluster = new PrivateCluster(dataDir, null, false)
        cluster.start()
        sql(cluster.superuser(), "CREATE TABLE old_table (id bigserial PRIMARY KEY, v text)")
        cluster.stop()

        when:
        def again = new PrivateCluster(dataDir, null, false)
        def endpoint = again.start()
        sql(endpoint, "INSERT INTO old_table (v) VALUES ('mine now')")

        then:
        endpoint.username() == PrivateCluster.APP_USER
        query(endpoint, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user") == 'false'
        query(again.superuser(), "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user") == 'true'
        query(endpoint, "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'old_table'") == PrivateCluster.APP_USER
        query(endpoint, "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'old_table_id_seq'") == PrivateCluster.APP_USER
        query(endpoint, "SELECT v FROM old_table") == 'mine now'

        cleanup:
        again?.stop()
    }

    def "a cluster whose postmaster was killed with SIGKILL starts again and recovers"() {
        given: 'a durable cluster, as users run it (with synchronous_commit off a just-committed row may be lost)'
        def cluster = new PrivateCluster(dataDir, null, true)
        def endpoint = cluster.start()
        sql(endpoint, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survived')")
        long pid = Files.readAllLines(cluster.root().resolve("data/postmaster.pid"))[0] as long

        when: 'the postmaster dies hard and leaves its postmaster.pid behind'
        new ProcessBuilder("kill", "-9", pid as String).start().waitFor()
        waitUntilDead(pid)
        def again = new PrivateCluster(dataDir, null, true).start()

        then:
        Files.exists(cluster.root().resolve("data/postmaster.pid"))
        query(again, "SELECT v FROM kept") == 'survived'

        cleanup:
        cluster.stop()
    }

    def "a cluster left running by a process that died is adopted, not started twice"() {
        given:
        def first = new PrivateCluster(dataDir, null, false).start()

        when: 'a new owner starts while the old postmaster still runs'
        def cluster = new PrivateCluster(dataDir, null, false)
        def second = cluster.start()

        then:
        second.url() == first.url()
        query(second, "SELECT 1") == '1'

        cleanup:
        cluster.stop()
    }

    def "without PostGIS the cluster refuses with the package to install"() {
        given: 'a copy of the PostgreSQL installation whose share directory lacks PostGIS'
        Path fake = fakeInstallationWithoutPostgis()

        when:
        def cluster = new PrivateCluster(dataDir, fake.resolve("usr/lib/postgresql/15/bin").toString(), false)
        cluster.start()

        then:
        def e = thrown(PrivateDatabaseException)
        e.message.contains("PostGIS is not installed")
        e.message.contains("apt-get install postgresql-15-postgis-3")

        cleanup:
        new PrivateCluster(dataDir, fake.resolve("usr/lib/postgresql/15/bin").toString(), false).stop()
        run("rm", "-rf", fake.toString())
    }

    def "a bin directory without initdb is named in the error"() {
        when:
        new PrivateCluster(dataDir, "/nonexistent/bin", false)

        then:
        def e = thrown(PrivateDatabaseException)
        e.message.contains("/nonexistent/bin holds no initdb")
    }

    private Path fakeInstallationWithoutPostgis() {
        Path root = Files.createTempDirectory(dataDir, "pgfake")
        // PostgreSQL finds its share and lib directories relative to its own binary. The lib directory is a tree of
        // links to the real files (cp -s), never a link to the real directory: deleting the temporary directory
        // must not reach through a link into /usr/lib/postgresql.
        run("mkdir", "-p", "$root/usr/lib/postgresql/15", "$root/usr/share/postgresql")
        run("cp", "-a", "/usr/lib/postgresql/15/bin", "$root/usr/lib/postgresql/15/bin")
        run("cp", "-rs", "/usr/lib/postgresql/15/lib", "$root/usr/lib/postgresql/15/lib")
        run("cp", "-a", "/usr/share/postgresql/15", "$root/usr/share/postgresql/15")
        run("sh", "-c", "rm -f $root/usr/share/postgresql/15/extension/postgis*")
        run("chmod", "-R", "a+rX", root.toString())
        return root
    }

    private static void run(String... command) {
        def process = new ProcessBuilder(command).inheritIO().start()
        assert process.waitFor() == 0: "failed: ${command.join(' ')}"
    }

    private static void waitUntilDead(long pid) {
        def deadline = System.currentTimeMillis() + 10_000
        while (ProcessHandle.of(pid).map { it.isAlive() }.orElse(false) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50)
        }
    }

    private static void sql(PrivateCluster.Endpoint endpoint, String statements) {
        DriverManager.getConnection(endpoint.url(), endpoint.username(), endpoint.password()).withCloseable {
            it.createStatement().execute(statements)
        }
    }

    private static String query(PrivateCluster.Endpoint endpoint, String select) {
        DriverManager.getConnection(endpoint.url(), endpoint.username(), endpoint.password()).withCloseable {
            def rs = it.createStatement().executeQuery(select)
            rs.next()
            rs.getString(1)
        }
    }
}
