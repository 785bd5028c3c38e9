package org.geoward.bench.load;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The JSON load's command line, read and checked once.
 *
 * @param roundBatches batches per phase of a round, shared among the senders (and as many COPYed)
 * @param fenceShiftMeters how far east of the walks the ring's fences stand (0: on the walks)
 * @param probes fixes that each open an alert in the latency phase (0: no latency phase)
 * @param latencyRate fixes per second of the load beside the probes; 0: half the median HTTP rate of the rounds
 */
record JsonLoadOptions(
        URI api,
        String user,
        String password,
        String dbUrl,
        String dbUser,
        String dbPassword,
        long serverPid,
        Path pgData,
        int wards,
        int fences,
        double stepMeters,
        int senders,
        int batch,
        int rounds,
        int roundBatches,
        int warmupBatches,
        double fenceShiftMeters,
        int probes,
        double probeRate,
        double latencyRate,
        boolean cleanup,
        String runId) {

    static final String USAGE =
            """
            Usage: java -cp ... org.geoward.bench.load.JsonLoad [options]
              --api URL                  Geoward's REST API (default http://127.0.0.1:8080)
              --user NAME                admin login (default admin)
              --password PW | --password-file FILE
              --db-url JDBC [--db-user postgres] [--db-password PW | --db-password-file FILE]
                                         required: the COPY baseline and the stored == acked count use it
              --server-pid PID           the server JVM, for CPU per row
              --pg-data DIR              the PostgreSQL data directory (postmaster.pid) for its CPU
              --wards 1000 --fences 10 --step-meters 15
                                         the world: wards walking the ring across its fences (bench/README.md)
              --senders 4 --batch 500    HTTP senders (and COPY connections), fixes per batch
              --rounds 5 --round-batches 200
                                         interleaved rounds; batches per phase of a round, shared by the senders
              --warmup-batches 200       posted (and a tenth as many COPYed) before the rounds, not counted
              --fences-away true|false   put the ring's fences 20 km east of every walk (diagnosis; default false)
              --probes 250 --probe-rate 8
                                         the latency phase: fixes that each open a WANDER alert, per second;
                                         --probes 0 skips the phase
              --latency-rate R           fixes/s of the JSON load beside the probes (default: half the median
                                         HTTP rate of the rounds)
              --cleanup true|false       retire the run's fences afterwards (default true)
              --run-id ID                prefix of every name (default: from the clock)
              --allow-remote             allow a target that is not on the loopback interface
            """;

    static JsonLoadOptions parse(String[] args) throws IOException {
        Map<String, String> given = LoadOptions.given(args, USAGE);
        LoadOptions.Reader r = new LoadOptions.Reader(given);
        URI api = URI.create(r.text("--api", "http://127.0.0.1:8080"));
        LoadOptions.checkLoopback(api, given.containsKey("--allow-remote"));
        String password = r.secret("--password", "--password-file");
        if (password == null) {
            throw new IllegalArgumentException("--password or --password-file is required (the admin's)");
        }
        String dbUrl = r.text("--db-url", "");
        if (dbUrl.isBlank()) {
            throw new IllegalArgumentException("--db-url is required (the COPY baseline writes into sighting)");
        }
        String pgData = r.text("--pg-data", null);
        var options = new JsonLoadOptions(
                api,
                r.text("--user", "admin"),
                password,
                dbUrl,
                r.text("--db-user", "postgres"),
                r.secret("--db-password", "--db-password-file"),
                r.number("--server-pid", 0),
                pgData == null ? null : Path.of(pgData),
                r.positive("--wards", 1000),
                r.positive("--fences", 10),
                Double.parseDouble(r.text("--step-meters", "15")),
                r.positive("--senders", 4),
                r.positive("--batch", 500),
                r.positive("--rounds", 5),
                r.positive("--round-batches", 200),
                r.number("--warmup-batches", 200),
                Boolean.parseBoolean(r.text("--fences-away", "false")) ? 20_000 : 0,
                r.number("--probes", 250),
                Double.parseDouble(r.text("--probe-rate", "8")),
                Double.parseDouble(r.text("--latency-rate", "0")),
                Boolean.parseBoolean(r.text("--cleanup", "true")),
                r.text("--run-id", "j" + Long.toString(System.currentTimeMillis() / 1000 % 10_000_000, 36)));
        r.checkAllRead();
        if (options.roundBatches() % options.senders() != 0) {
            throw new IllegalArgumentException("--round-batches must be a multiple of --senders");
        }
        if (options.probes() > 0 && !(options.probeRate() > 0)) {
            throw new IllegalArgumentException("--probe-rate must be above 0");
        }
        return options;
    }
}
