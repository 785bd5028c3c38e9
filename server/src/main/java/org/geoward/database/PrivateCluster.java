package org.geoward.database;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL cluster of Geoward's own, made from the host's binaries: data under {@code <dataDir>/postgres}, a private
 * socket directory, loopback only, a password kept beside it, database {@code geoward} with PostGIS.
 *
 * <p>Started clusters survive a crash of the JVM: a later {@link #start()} finds the running postmaster and reuses it,
 * and PostgreSQL itself recovers from a stale {@code postmaster.pid}. When the JVM runs as root, the cluster runs as
 * the unprivileged {@code postgres} user (initdb refuses root). Not thread-safe: one owner starts and stops it.
 */
public final class PrivateCluster {
    /** The database Geoward uses inside the cluster. */
    public static final String DATABASE = "geoward";

    /** The role the server connects as: owns the schema, not a superuser (docs/privacy.md). */
    public static final String APP_USER = "geoward";

    /** The role that owns the audit trail; nobody logs in as it, the server may only INSERT and SELECT (V45). */
    public static final String AUDIT_OWNER = "geoward_audit";

    private static final Logger LOG = LoggerFactory.getLogger(PrivateCluster.class);
    private static final String SUPERUSER = "postgres";
    private Endpoint superuser;

    private final Path root;
    private final PostgresBinaries binaries;
    private final boolean durable;
    private final String runAsUser;

    /**
     * @param dataDir Geoward's data directory; the cluster lives in its {@code postgres} subdirectory
     * @param binDir a PostgreSQL bin directory, or null to look for one
     * @param durable false turns fsync off (tests), true keeps PostgreSQL's crash safety
     */
    public PrivateCluster(Path dataDir, String binDir, boolean durable) {
        this.root = dataDir.toAbsolutePath().resolve("postgres");
        this.binaries = PostgresBinaries.locate(binDir);
        this.durable = durable;
        this.runAsUser = isRoot() ? SUPERUSER : null;
    }

    /** The JDBC coordinates of a started cluster. */
    public record Endpoint(String url, String username, String password) {}

    /** Starts the cluster (or adopts one already running from an earlier process) and returns how to reach it. */
    public Endpoint start() {
        try {
            prepareDirectories();
            String password = readOrCreatePassword();
            if (!Files.exists(pgData().resolve("PG_VERSION"))) {
                initdb(password);
            }
            int port = runningPort();
            if (port > 0) {
                LOG.info("Private PostGIS already running on port {} ({}), reusing it", port, pgData());
            } else {
                port = choosePort();
                startPostmaster(port);
            }
            Endpoint admin = new Endpoint(jdbcUrl(port, SUPERUSER), SUPERUSER, password);
            createDatabaseWithPostgis(admin);
            superuser = new Endpoint(jdbcUrl(port, DATABASE), SUPERUSER, password);
            DatabaseRoles.prepare(superuser, password);
            return new Endpoint(jdbcUrl(port, DATABASE), APP_USER, password);
        } catch (IOException e) {
            throw new PrivateDatabaseException(
                    "Could not prepare the private PostGIS in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Stops the cluster if it runs; waits for a clean shutdown. */
    public void stop() {
        if (Files.exists(pgData().resolve("postmaster.pid"))) {
            run(
                    Duration.ofSeconds(60),
                    binaries.pgCtl().toString(),
                    "-D",
                    pgData().toString(),
                    "-m",
                    "fast",
                    "-w",
                    "-t",
                    "60",
                    "stop");
            LOG.info("Private PostGIS stopped");
        }
    }

    /**
     * The superuser's coordinates of database {@code geoward} in a started cluster (for operators' tools and the
     * test suite; the server itself connects as {@link #APP_USER}), or null before {@link #start()}.
     */
    public Endpoint superuser() {
        return superuser;
    }

    /** Where the cluster keeps its data. */
    public Path root() {
        return root;
    }

    private Path pgData() {
        return root.resolve("data");
    }

    private Path socketDir() {
        return root.resolve("run");
    }

    private void prepareDirectories() throws IOException {
        Files.createDirectories(socketDir());
        Files.setPosixFilePermissions(socketDir(), PosixFilePermissions.fromString("rwx------"));
        if (runAsUser != null) {
            if (run(Duration.ofSeconds(10), "id", "-u", runAsUser).exitCode() != 0) {
                throw new PrivateDatabaseException("Running as root, the private PostGIS must run as user '" + runAsUser
                        + "', which does not exist. Install postgresql (it creates the user) or run Geoward as a"
                        + " normal user.");
            }
            run(Duration.ofSeconds(30), "chown", "-R", runAsUser, root.toString());
            if (run(Duration.ofSeconds(10), "runuser", "-u", runAsUser, "--", "test", "-w", root.toString())
                            .exitCode()
                    != 0) {
                throw new PrivateDatabaseException(
                        "User '" + runAsUser + "' cannot reach " + root + " (a parent"
                                + " directory is not searchable). Set GEOWARD_DATA_DIR to a directory such as /var/lib/geoward.");
            }
        }
    }

    private String readOrCreatePassword() throws IOException {
        Path file = root.resolve("password");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String password = HexFormat.of().formatHex(bytes);
        Files.writeString(file, password, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return password;
    }

    private void initdb(String password) throws IOException {
        Path pwfile = socketDir().resolve("initdb.pw");
        Files.writeString(pwfile, password, StandardCharsets.UTF_8);
        if (runAsUser != null) {
            run(Duration.ofSeconds(10), "chown", runAsUser, pwfile.toString());
        }
        try {
            Result result = run(
                    Duration.ofMinutes(2),
                    binaries.initdb().toString(),
                    "-D",
                    pgData().toString(),
                    "-U",
                    SUPERUSER,
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "--pwfile=" + pwfile,
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8");
            if (result.exitCode() != 0) {
                throw new PrivateDatabaseException(
                        "initdb (" + binaries.initdb() + ") failed in " + pgData() + ": " + result.output());
            }
            LOG.info("Created a private PostGIS cluster in {}", pgData());
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    /** The port of a postmaster already serving this data directory, or 0. */
    private int runningPort() throws IOException {
        Result status = run(Duration.ofSeconds(10), binaries.pgCtl().toString(), "-D", pgData().toString(), "status");
        Path pid = pgData().resolve("postmaster.pid");
        if (status.exitCode() != 0 || !Files.exists(pid)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(pid);
        return lines.size() > 3 ? Integer.parseInt(lines.get(3).trim()) : 0;
    }

    private int choosePort() throws IOException {
        Path file = root.resolve("port");
        if (Files.exists(file)) {
            int last = Integer.parseInt(Files.readString(file).trim());
            if (isFree(last)) {
                return last;
            }
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.writeString(file, Integer.toString(port));
        return port;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void startPostmaster(int port) throws IOException {
        Path log = root.resolve("server.log");
        String options = "-p " + port + " -k " + socketDir() + " -c listen_addresses=127.0.0.1"
                + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        Result result = run(
                Duration.ofMinutes(2),
                binaries.pgCtl().toString(),
                "-D",
                pgData().toString(),
                "-l",
                log.toString(),
                "-w",
                "-t",
                "90",
                "-o",
                options,
                "start");
        if (result.exitCode() != 0) {
            String tail = Files.exists(log) ? tail(log, 8) : "(no server log)";
            throw new PrivateDatabaseException("The private PostGIS did not start on port " + port + ": "
                    + result.output().strip() + "\nLast lines of " + log + ":\n" + tail);
        }
        LOG.info("Private PostGIS started on 127.0.0.1:{} (data in {})", port, pgData());
    }

    private void createDatabaseWithPostgis(Endpoint admin) {
        try (Connection c = connect(admin)) {
            try (var rs = c.createStatement()
                    .executeQuery("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    String version = binaries.binDir().getParent().getFileName().toString();
                    throw new PrivateDatabaseException("PostGIS is not installed for the PostgreSQL in "
                            + binaries.binDir() + ". Install it with: sudo apt-get install postgresql-" + version
                            + "-postgis-3");
                }
            }
            try (var rs = c.createStatement()
                    .executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    c.createStatement().execute("CREATE DATABASE " + DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new PrivateDatabaseException("Could not create database " + DATABASE + ": " + e.getMessage(), e);
        }
        Endpoint db = new Endpoint(admin.url().replace("/" + SUPERUSER, "/" + DATABASE), SUPERUSER, admin.password());
        try (Connection c = connect(db)) {
            c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS postgis");
        } catch (SQLException e) {
            throw new PrivateDatabaseException("Could not enable PostGIS: " + e.getMessage(), e);
        }
    }

    private static Connection connect(Endpoint target) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", target.username());
        props.setProperty("password", target.password());
        return DriverManager.getConnection(target.url(), props);
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private record Result(int exitCode, String output) {}

    private Result run(Duration timeout, String... command) {
        List<String> full = new ArrayList<>();
        boolean postgresTool = command[0].startsWith(binaries.binDir().toString());
        if (runAsUser != null && postgresTool) {
            full.addAll(List.of("runuser", "-u", runAsUser, "--"));
        }
        full.addAll(List.of(command));
        try {
            // output goes to a file: the postmaster that pg_ctl leaves behind must not hold a pipe of ours
            Path output = Files.createTempFile("geoward-pg", ".out");
            try {
                Process process = new ProcessBuilder(full)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .directory(root.toFile())
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new PrivateDatabaseException(
                            "Timed out after " + timeout.toSeconds() + " s: " + String.join(" ", full));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new PrivateDatabaseException("Could not run " + full.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrivateDatabaseException("Interrupted while running " + String.join(" ", full), e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
