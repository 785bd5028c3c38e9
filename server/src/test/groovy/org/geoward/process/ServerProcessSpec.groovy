package org.geoward.process

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
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
    Path dataDir = Files.createTempDirectory("geoward-process")

    @Shared
    int port = freePort()

    @Shared
    Process server

    @Shared
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

    def setupSpec() {
        // as root, the cluster runs as user postgres, who must be able to enter the directory
        dataDir.toFile().setExecutable(true, false)
        dataDir.toFile().setReadable(true, false)
    }

    def cleanupSpec() {
        server?.destroy()
        server?.waitFor()
        new ProcessBuilder("sh", "-c", "rm -rf '$dataDir'").start().waitFor()
    }

    def "the first start creates the cluster and the admin from GEOWARD_ADMIN_PASSWORD"() {
        when:
        server = start([GEOWARD_ADMIN_PASSWORD: "first-start-pw"])

        then:
        health() == 200
        login("admin", "first-start-pw") == 200
        Files.exists(dataDir.resolve("postgres/data/PG_VERSION"))
        Files.exists(dataDir.resolve("jwt-secret"))
    }

    def "a graceful stop stops the private cluster too"() {
        when:
        server.destroy()          // SIGTERM
        int exit = server.waitFor()

        then:
        exit == 0 || exit == 143
        waitFor { !Files.exists(dataDir.resolve("postgres/data/postmaster.pid")) }
    }

    def "after a restart the data is still there"() {
        when: 'started again without the admin password'
        server = start([:])

        then:
        health() == 200
        login("admin", "first-start-pw") == 200
        login("admin", "wrong") == 401
    }

    def "after kill -9 the next start adopts the cluster that kept running"() {
        given:
        String pidBefore = Files.readAllLines(dataDir.resolve("postgres/data/postmaster.pid"))[0]

        when:
        server.destroyForcibly()  // SIGKILL: no shutdown hook runs
        server.waitFor()
        server = start([:])

        then:
        health() == 200
        login("admin", "first-start-pw") == 200
        Files.readAllLines(dataDir.resolve("postgres/data/postmaster.pid"))[0] == pidBefore
    }

    private Process start(Map<String, String> env) {
        String classpath = System.getProperty("surefire.test.class.path") ?: System.getProperty("java.class.path")
        def builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "org.geoward.Application")
        builder.environment().putAll([GEOWARD_DATA_DIR: dataDir.toString(), GEOWARD_PORT: port as String] + env)
        builder.environment().remove("GEOWARD_DB_URL")
        builder.redirectErrorStream(true).redirectOutput(dataDir.resolve("server.log").toFile())
        def process = builder.start()
        boolean up = waitFor(120) { health() == 200 || !process.alive }
        if (!up || !process.alive) {
            process.destroyForcibly()
            throw new AssertionError("the server did not start (up=$up, alive=${process.alive}):\n"
                    + dataDir.resolve("server.log").toFile().text)
        }
        return process
    }

    private int health() {
        try {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:$port/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()
        } catch (IOException ignored) {
            -1
        }
    }

    private int login(String username, String password) {
        def request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:$port/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonOutput.toJson([username: username, password: password])))
                .build()
        def response = http.send(request, HttpResponse.BodyHandlers.ofString())
        if (response.statusCode() == 200) {
            assert new JsonSlurper().parseText(response.body()).access_token
        }
        response.statusCode()
    }

    private static boolean waitFor(int seconds = 30, Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (System.currentTimeMillis() < deadline) {
            if (condition()) {
                return true
            }
            Thread.sleep(250)
        }
        condition()
    }

    private static int freePort() {
        new ServerSocket(0).withCloseable { it.localPort }
    }
}
