package org.geoward.process

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.sql.Connection
import java.sql.DriverManager
import java.time.Duration
import java.util.concurrent.TimeUnit

/**
 * Geoward as a user runs it, for specs that treat it as a black box: a separate JVM started with
 * {@code org.geoward.Application}, a data directory of its own (made reachable for the {@code postgres} user when the
 * tests run as root) and the private, durable PostGIS the server starts in it. Starts, kills and restarts the server
 * on one port, talks HTTP to it, and reaches its PostgreSQL directly: over JDBC for checks, and with {@code pg_ctl}
 * to stop and start the cluster behind the server's back. {@link #close} stops both and removes the directory.
 * Not thread-safe for start/stop; {@link #send} and {@link #database} may be called from many threads.
 */
class ServerProcess implements Closeable {
    final Path dataDir
    final int port
    final List<String> jvmOptions
    /** The client {@link #send} uses; a spec of Geoward's own TLS replaces it with one that trusts its certificate. */
    HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build()
    Process process
    /** {@code http}, or {@code https} for a server started with Micronaut's own TLS on {@link #port}. */
    String scheme = "http"

    /**
     * The server JVM's options unless a spec gives its own: C1 only and the serial collector, which start the server
     * a second or more sooner on two busy cores than C2 and G1 do. {@code -Dgeoward.test.server-jvm=...} replaces
     * them (space-separated; {@code none} for the JVM's defaults).
     */
    static final List<String> QUICK_START = quickStart(System.getProperty("geoward.test.server-jvm"))

    /** A new data directory named after {@code prefix}, a free port, and options for the server's JVM. */
    ServerProcess(String prefix, List<String> jvmOptions = QUICK_START) {
        this.dataDir = Files.createTempDirectory(prefix)
        this.port = freePort()
        this.jvmOptions = jvmOptions
        // as root, the cluster runs as user postgres, who must be able to enter the directory
        dataDir.toFile().setExecutable(true, false)
        dataDir.toFile().setReadable(true, false)
    }

    /**
     * Starts the server and waits (up to 120 s) until {@code /health} answers 200; throws with the log when it dies
     * or does not come up. Device listeners take free ports, so that several servers can run on one machine.
     */
    Process start(Map<String, String> env = [:]) {
        String classpath = System.getProperty("surefire.test.class.path") ?: System.getProperty("java.class.path")
        List<String> command = [Path.of(System.getProperty("java.home"), "bin", "java").toString()]
        command.addAll(jvmOptions)
        command.addAll(["-cp", classpath, "org.geoward.Application"])
        def builder = new ProcessBuilder(command)
        builder.environment().putAll([GEOWARD_DATA_DIR    : dataDir.toString(), GEOWARD_PORT: port as String,
                                      GEOWARD_OSMAND_PORT : "0", GEOWARD_GT06_PORT: "0",
                                      GEOWARD_DEVICES_HOST: "127.0.0.1"] + env)
        if (!env.containsKey("GEOWARD_DB_URL")) {
            builder.environment().remove("GEOWARD_DB_URL")
        }
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
        def started = builder.start()
        boolean up = waitFor(120) { health() == 200 || !started.alive }
        if (!up || !started.alive) {
            started.destroyForcibly()
            throw new AssertionError("the server did not start (up=$up, alive=${started.alive}):\n" + logTail(60))
        }
        process = started
        return started
    }

    /** SIGTERM, as a user's Ctrl-C or systemd would; returns the exit code (143 or 0). */
    int stop() {
        process.destroy()
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            process.waitFor()
        }
        process.exitValue()
    }

    /** SIGKILL: no shutdown hook runs, the private cluster keeps running. */
    void kill() {
        process.destroyForcibly()
        process.waitFor()
    }

    boolean isAlive() {
        process?.alive
    }

    /** The status of {@code GET /health}, or -1 when nothing answers within 10 s. */
    int health() {
        try {
            send("GET", "/health", null, null, Duration.ofSeconds(10)).statusCode()
        } catch (IOException ignored) {
            -1
        }
    }

    /** The status of {@code POST /login}; a 200 must carry an access token. */
    int login(String username, String password) {
        def response = post("/login", [username: username, password: password], null)
        if (response.statusCode() == 200) {
            assert new JsonSlurper().parseText(response.body()).access_token
        }
        response.statusCode()
    }

    /** Logs in and returns the bearer token. */
    String token(String username, String password) {
        def response = post("/login", [username: username, password: password], null)
        assert response.statusCode() == 200: "login as $username: ${response.statusCode()} ${response.body()}"
        new JsonSlurper().parseText(response.body()).access_token
    }

    /** POSTs {@code body} (a String is sent as it is, anything else as JSON), with a 30 s limit. */
    HttpResponse<String> post(String path, Object body, String token, Duration timeout = Duration.ofSeconds(30)) {
        send("POST", path, body instanceof String ? body : JsonOutput.toJson(body), token, timeout)
    }

    /** POSTs {@code body} as JSON and returns the parsed answer, which must have {@code expected} status. */
    Map create(String path, Object body, String token, int expected = 201) {
        def response = post(path, body, token)
        assert response.statusCode() == expected: "POST $path: ${response.statusCode()} ${response.body()}"
        new JsonSlurper().parseText(response.body()) as Map
    }

    /** One request; throws {@link IOException} (or its subclass HttpTimeoutException) when no answer comes. */
    HttpResponse<String> send(String method, String path, String json, String token, Duration timeout) {
        def request = HttpRequest.newBuilder(URI.create("$scheme://127.0.0.1:$port$path")).timeout(timeout)
        if (json != null) {
            request.header("Content-Type", "application/json")
        }
        if (token) {
            request.header("Authorization", "Bearer $token")
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        http.send(request.build(), HttpResponse.BodyHandlers.ofString())
    }

    // the private cluster ---------------------------------------------------------------------------------------------

    Path getPgRoot() { dataDir.resolve("postgres") }

    Path getPgData() { pgRoot.resolve("data") }

    /** The port of the running postmaster: line 4 of {@code postmaster.pid}. */
    int databasePort() {
        Files.readAllLines(pgData.resolve("postmaster.pid"))[3].trim() as int
    }

    /** A JDBC connection to database {@code geoward} of the running cluster, as its superuser. */
    Connection database() {
        def props = new Properties()
        props.setProperty("user", "postgres")
        props.setProperty("password", Files.readString(pgRoot.resolve("password")).trim())
        props.setProperty("connectTimeout", "10")
        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:${databasePort()}/geoward", props)
    }

    /** The rows of a query, each a list of column values. */
    List<List<Object>> rows(String sql, Object... params) {
        database().withCloseable { c ->
            def ps = c.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p) }
            def rs = ps.executeQuery()
            List<List<Object>> out = []
            while (rs.next()) {
                out << (1..rs.metaData.columnCount).collect { rs.getObject(it) }
            }
            out
        }
    }

    /** Kills PostgreSQL the hard way ({@code pg_ctl stop -m immediate}): no checkpoint, crash recovery on start. */
    void stopDatabaseImmediately() {
        def result = pgCtl(60, "-D", pgData.toString(), "-m", "immediate", "-w", "-t", "30", "stop")
        assert result.exit == 0: "pg_ctl stop: $result.output"
    }

    /** Starts the cluster again as {@code PrivateCluster} does (durable: fsync on), on {@code port}. */
    void startDatabase(int port) {
        String options = "-p $port -k ${pgRoot.resolve('run')} -c listen_addresses=127.0.0.1"
        def result = pgCtl(120, "-D", pgData.toString(), "-l", pgRoot.resolve("server.log").toString(),
                "-w", "-t", "90", "-o", options, "start")
        assert result.exit == 0: "pg_ctl start: $result.output"
    }

    /** Runs pg_ctl as the cluster's owner (user postgres when we are root); output goes through a file. */
    Map pgCtl(int timeoutSeconds, String... args) {
        List<String> command = []
        if (System.getProperty("user.name") == "root") {
            command.addAll(["runuser", "-u", "postgres", "--"])
        }
        command << pgBin().resolve("pg_ctl").toString()
        command.addAll(args)
        // the postmaster pg_ctl leaves behind must not hold a pipe of ours
        Path output = Files.createTempFile("geoward-pgctl", ".out")
        try {
            def process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(new File("/dev/null")).directory(pgRoot.toFile()).start()
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly()
                throw new AssertionError("timed out after $timeoutSeconds s: $command")
            }
            [exit: process.exitValue(), output: Files.readString(output)]
        } finally {
            Files.deleteIfExists(output)
        }
    }

    /** The newest PostgreSQL bin directory under /usr/lib/postgresql, as {@code PostgresBinaries} finds it there. */
    static Path pgBin() {
        def versions = new File("/usr/lib/postgresql").listFiles()?.findAll { new File(it, "bin/pg_ctl").canExecute() }
        assert versions: "no PostgreSQL under /usr/lib/postgresql"
        versions.max { it.name.replaceAll(/\D.*/, "") as int }.toPath().resolve("bin")
    }

    // logs and cleanup ------------------------------------------------------------------------------------------------

    Path log() { dataDir.resolve("server.log") }

    String logTail(int lines) {
        if (!Files.exists(log())) {
            return "(no log)"
        }
        def all = Files.readAllLines(log())
        all.subList(Math.max(0, all.size() - lines), all.size()).join("\n")
    }

    /** Copies the server's log to target/process-logs, where it outlives the data directory. */
    void keepLog() {
        if (Files.exists(log())) {
            Path kept = Path.of("target", "process-logs")
            Files.createDirectories(kept)
            Files.copy(log(), kept.resolve(dataDir.fileName.toString() + ".log"))
        }
    }

    /**
     * Stops the server (and with it the cluster), stops a cluster left running, keeps the server's log and removes
     * the data directory.
     */
    @Override
    void close() {
        if (process?.alive) {
            stop()
        }
        if (Files.exists(pgData.resolve("postmaster.pid"))) {
            pgCtl(60, "-D", pgData.toString(), "-m", "immediate", "-w", "-t", "30", "stop")
        }
        keepLog()
        // the cluster's files belong to postgres
        new ProcessBuilder("sh", "-c", "rm -rf '$dataDir'").start().waitFor()
    }

    /** Waits until {@code condition} holds, checking every 250 ms for at most {@code seconds}. */
    static boolean waitFor(int seconds = 30, Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (System.currentTimeMillis() < deadline) {
            if (condition()) {
                return true
            }
            Thread.sleep(250)
        }
        condition()
    }

    private static List<String> quickStart(String configured) {
        if (configured == null) {
            return ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
        }
        configured.trim() == "none" ? [] : configured.trim().split(/\s+/).findAll { it }.toList()
    }

    private static final Set<Integer> HANDED_OUT = Collections.synchronizedSet(new HashSet<Integer>())
    private static final Random RANDOM = new Random()

    /**
     * A port that is free now and stays free until its owner binds it: taken below the kernel's ephemeral range
     * ({@code /proc/sys/net/ipv4/ip_local_port_range}), where no listener on port 0 and no outgoing connection is
     * given a number. A port picked with {@code new ServerSocket(0)} could be handed straight back to a device
     * listener of the very server about to bind it (CI saw "Port 127.0.0.1:41903 already in use"). Never the same
     * port twice in one test JVM.
     */
    static int freePort() {
        int below = ephemeralLow()
        for (int i = 0; i < 200; i++) {
            int p = 20000 + RANDOM.nextInt(below - 20000)
            if (!HANDED_OUT.contains(p) && isFree(p) && HANDED_OUT.add(p)) {
                return p
            }
        }
        throw new IllegalStateException("no free port between 20000 and $below")
    }

    static boolean isFree(int port) {
        try {
            new ServerSocket(port, 50, InetAddress.getByName("0.0.0.0")).close()
            true
        } catch (IOException ignored) {
            false
        }
    }

    private static int ephemeralLow() {
        try {
            int low = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split(/\s+/)[0] as int
            low > 21000 ? low : 32768
        } catch (IOException | RuntimeException ignored) {
            32768
        }
    }
}
