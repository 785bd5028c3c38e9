package org.geoward.process

import java.nio.file.Files
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise

/**
 * The server as a user runs it: a separate JVM started with {@code org.geoward.Application}, its own data directory
 * and private PostGIS. It keeps its data across a graceful restart and across {@code kill -9}, and stops its
 * cluster when it stops. The features follow one server's life, so they run in order.
 */
@Stepwise
class ServerProcessSpec extends Specification {

    @Shared
    @AutoCleanup
    ServerProcess server = new ServerProcess("geoward-process")

    def "the first start creates the cluster and the admin from GEOWARD_ADMIN_PASSWORD"() {
        when:
        server.start([GEOWARD_ADMIN_PASSWORD: "first-start-pw"])

        then:
        server.health() == 200
        server.login("admin", "first-start-pw") == 200
        Files.exists(server.pgData.resolve("PG_VERSION"))
        Files.exists(server.dataDir.resolve("jwt-secret"))
    }

    def "a graceful stop stops the private cluster too"() {
        when:
        int exit = server.stop()  // SIGTERM

        then:
        exit == 0 || exit == 143
        ServerProcess.waitFor { !Files.exists(server.pgData.resolve("postmaster.pid")) }
    }

    def "after a restart the data is still there"() {
        when: 'started again without the admin password'
        server.start()

        then:
        server.health() == 200
        server.login("admin", "first-start-pw") == 200
        server.login("admin", "wrong") == 401
    }

    def "after kill -9 the next start adopts the cluster that kept running"() {
        given:
        String pidBefore = Files.readAllLines(server.pgData.resolve("postmaster.pid"))[0]

        when:
        server.kill()  // SIGKILL: no shutdown hook runs
        server.start()

        then:
        server.health() == 200
        server.login("admin", "first-start-pw") == 200
        Files.readAllLines(server.pgData.resolve("postmaster.pid"))[0] == pidBefore
    }
}
