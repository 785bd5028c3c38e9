package org.geoward.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The generator's command line, read and checked once.
 *
 * @param seconds length of the timed phase, or 0 when {@code fixes} bounds it
 * @param fixes fixes to send in the timed phase, or 0 when {@code seconds} bounds it
 * @param maxSeconds hard limit on the timed phase whatever bounds it
 * @param stepMeters how far a walker moves along its ring from one fix to the next
 */
record LoadOptions(
        String target,
        URI api,
        URI osmand,
        String user,
        String password,
        int devices,
        int fences,
        int connections,
        int seconds,
        long fixes,
        int warmupSeconds,
        int maxSeconds,
        double stepMeters,
        String method,
        String dbUrl,
        String dbUser,
        String dbPassword,
        long serverPid,
        Path pgData,
        boolean cleanup,
        boolean perSecond,
        String runId) {

    static final String USAGE =
            """
            Usage: java -cp ... org.geoward.bench.load.OsmAndLoad [options]
              --target geoward|traccar   what the API calls look like (default geoward)
              --api URL                  REST API (default http://127.0.0.1:8080; traccar: http://127.0.0.1:8082)
              --osmand URL               OsmAnd listener (default http://127.0.0.1:5055)
              --user NAME                admin login (default admin; traccar: the e-mail or login of an admin)
              --password PW | --password-file FILE
              --devices 200 --fences 10 --connections 32
              --seconds 30 | --fixes N   length of the timed phase (--max-seconds 600 caps --fixes)
              --warmup-seconds 5         after every device's first fix was acked, this long more before the
                                         timed phase; sent and checked, but not in fixes/s, latency or CPU
              --step-meters 15           distance a walker moves per fix
              --method GET|POST          OsmAnd request method, query string either way (default GET)
              --db-url JDBC [--db-user postgres] [--db-password PW | --db-password-file FILE]
                                         count stored rows in the database instead of through the REST API
                                         (an empty --db-url counts through the API)
              --server-pid PID           the server JVM, for CPU per fix
              --pg-data DIR              the PostgreSQL data directory (postmaster.pid) for its CPU; without it
                                         every process named postgres is counted
              --cleanup true|false       retire the fences and delete the devices afterwards (default true)
              --per-second true|false    print a SEC line every second (default true)
              --run-id ID                prefix of every name and uniqueId (default: from the clock)
              --allow-remote             allow targets that are not on the loopback interface
            """;

    static LoadOptions parse(String[] args) throws IOException {
        Map<String, String> given = given(args, USAGE);
        Reader r = new Reader(given);
        String target = r.text("--target", "geoward").toLowerCase(Locale.ROOT);
        if (!target.equals("geoward") && !target.equals("traccar")) {
            throw new IllegalArgumentException("--target must be geoward or traccar, not " + target);
        }
        URI api = URI.create(
                r.text("--api", target.equals("traccar") ? "http://127.0.0.1:8082" : "http://127.0.0.1:8080"));
        URI osmand = URI.create(r.text("--osmand", "http://127.0.0.1:5055"));
        boolean remote = given.containsKey("--allow-remote");
        checkLoopback(api, remote);
        checkLoopback(osmand, remote);
        String password = r.secret("--password", "--password-file");
        if (password == null) {
            throw new IllegalArgumentException("--password or --password-file is required (the admin's)");
        }
        int seconds = r.number("--seconds", 0);
        long fixes = r.number("--fixes", 0);
        if (seconds == 0 && fixes == 0) {
            seconds = 30;
        }
        String method = r.text("--method", "GET").toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("POST")) {
            throw new IllegalArgumentException("--method must be GET or POST");
        }
        String pgData = r.text("--pg-data", null);
        String dbUrl = r.text("--db-url", "");
        var options = new LoadOptions(
                target,
                api,
                osmand,
                r.text("--user", "admin"),
                password,
                r.positive("--devices", 200),
                r.positive("--fences", 10),
                r.positive("--connections", 32),
                seconds,
                fixes,
                r.number("--warmup-seconds", 5),
                r.positive("--max-seconds", 600),
                Double.parseDouble(r.text("--step-meters", "15")),
                method,
                dbUrl.isBlank() ? null : dbUrl,
                r.text("--db-user", "postgres"),
                r.secret("--db-password", "--db-password-file"),
                r.number("--server-pid", 0),
                pgData == null ? null : Path.of(pgData),
                Boolean.parseBoolean(r.text("--cleanup", "true")),
                Boolean.parseBoolean(r.text("--per-second", "true")),
                r.text("--run-id", "b" + Long.toString(System.currentTimeMillis() / 1000 % 10_000_000, 36)));
        r.checkAllRead();
        return options;
    }

    /** The network this runs on may only be reached at its loopback addresses. */
    private static final Set<String> FLAGS = Set.of("--allow-remote", "--help", "-h");

    /**
     * The options on a command line, {@code --name value} each or one of the flags; {@code usage} is the error's text
     * for anything else and for {@code --help}.
     */
    static Map<String, String> given(String[] args, String usage) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (FLAGS.contains(name)) {
                given.put(name, "true");
            } else if (name.startsWith("--") && i + 1 < args.length) {
                given.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + name + "'\n" + usage);
            }
        }
        if (given.containsKey("--help") || given.containsKey("-h")) {
            throw new IllegalArgumentException(usage);
        }
        return given;
    }

    static void checkLoopback(URI uri, boolean allowRemote) throws IOException {
        if (uri.getHost() == null || uri.getPort() < 0 || !"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("expected http://host:port, not " + uri);
        }
        if (!allowRemote && !InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException(
                    uri + " is not a loopback address; pass --allow-remote to load a server elsewhere");
        }
    }

    /** Reads option values once each, so that a misspelt option is refused instead of ignored. */
    static final class Reader {
        private final Map<String, String> given;

        Reader(Map<String, String> given) {
            this.given = new HashMap<>(given);
            this.given.remove("--allow-remote");
        }

        String text(String name, String otherwise) {
            String value = given.remove(name);
            return value == null ? otherwise : value;
        }

        int number(String name, int otherwise) {
            String value = given.remove(name);
            int n = value == null ? otherwise : Integer.parseInt(value);
            if (n < 0) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return n;
        }

        int positive(String name, int otherwise) {
            int n = number(name, otherwise);
            if (n == 0) {
                throw new IllegalArgumentException(name + " must be above 0");
            }
            return n;
        }

        String secret(String name, String fileName) throws IOException {
            String value = given.remove(name);
            String file = given.remove(fileName);
            return file != null ? Files.readString(Path.of(file)).trim() : value;
        }

        void checkAllRead() {
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown option(s) " + given.keySet() + "\n" + USAGE);
            }
        }
    }
}
