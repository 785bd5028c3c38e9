package org.geoward.bench

import io.micronaut.context.ApplicationContext
import io.micronaut.context.annotation.Property
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.geoward.fence.FenceCatalog
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.sighting.AppendTimer
import org.geoward.sighting.Sighting
import org.geoward.sighting.Source
import org.geoward.support.Accounts
import org.postgresql.PGConnection
import spock.lang.Requires
import spock.lang.Specification

import javax.sql.DataSource
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.sql.Connection
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicBoolean

import static io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource

/**
 * Benchmark, not a test (runs only with GEOWARD_BENCH=1; see docs/benchmarks.md). Over loopback, against the real
 * server of this context and its private PostGIS with default durability (fsync and synchronous_commit on):
 * <ol>
 * <li>HTTP ingest: {@code POST /api/sightings} in batches of 1,000 (GEOWARD_BENCH_BATCH) from 2 client threads
 *     (GEOWARD_BENCH_THREADS), 1,000 wards reporting
 *     every 10 s around Fuling, ~400 fences (SAFE circles naming the wards, DANGER and BAN squares, DANGER river
 *     corridors); sustained sightings/s stored (202: committed; the evaluation follows and is awaited before the count);</li>
 * <li>the same rows COPYed (CopyManager, 2 connections, one COPY and commit per 1,000) into
 *     {@code CREATE TABLE bench_copy (LIKE sighting INCLUDING ALL)}: the raw baseline; then into a copy that also
 *     has a GIST on {@code pos}; then the HTTP ingest again with a temporary GIST on {@code sighting.pos};</li>
 * <li>interleaved rounds (GEOWARD_BENCH_ROUNDS, default 5): 20 batches COPYed into {@code sighting} itself (its
 *     primary key, BRIN and foreign keys: the same schema) beside 20 HTTP batches, alternating which goes first, so
 *     each round's ratio compares two rates measured seconds apart on the same table; the median is the headline;</li>
 * <li>latency: fixes that take a ward out of its SAFE zone, at a steady rate, idle and under the ingest load; the
 *     time from sending the POST to reading the {@code opened} event on {@code GET /api/alerts/stream}.</li>
 * </ol>
 * Bounded: GEOWARD_BENCH_BATCHES (default 40) batches per phase. Prints the report and writes it to
 * target/ingest-benchmark.txt.
 */
@MicronautTest(transactional = false)
@Property(name = 'geoward.private-db.durable', value = 'true')
@Property(name = 'geoward.ingest.wait-for-evaluation', value = 'false')
@Requires({ env.GEOWARD_BENCH })
class IngestBenchmarkSpec extends Specification {
    @jakarta.inject.Inject org.geoward.partition.PartitionedEvaluation evaluation
    @jakarta.inject.Inject org.geoward.sighting.SightingLog sightingLog
    static final int WARDS = intEnv('GEOWARD_BENCH_WARDS', 1000)
    static final int BATCHES = intEnv('GEOWARD_BENCH_BATCHES', 40)
    static final int BATCH = intEnv('GEOWARD_BENCH_BATCH', 1000)
    static final int THREADS = intEnv('GEOWARD_BENCH_THREADS', 2)
    static final int ROUNDS = intEnv('GEOWARD_BENCH_ROUNDS', 5)
    static final int ROUND_BATCHES = 20
    /** Batches posted before any phase is timed, so that the JIT has compiled the ingest path (C2 was still busy after 10). */
    static final int WARMUP = intEnv('GEOWARD_BENCH_WARMUP', 100)
    static final int IDLE_PROBES = 200
    static final int LOAD_PROBES = 800
    static final double IDLE_RATE = 20
    static final double LOAD_RATE = 10
    /** Fuling: wards, fences and probes live in 107.2..107.6 E, 29.55..29.9 N. */
    static final double W = 107.2, E = 107.6, S = 29.55, N = 29.9
    static final double PROBE_LON = 107.25, PROBE_LAT = 29.58
    /** The client threads: 2 posting (or copying) and 1 probing. */
    static final ExecutorService CLIENTS = Executors.newCachedThreadPool()

    @Inject EmbeddedServer server
    @Inject ApplicationContext context
    @Inject TransactionOperations<Connection> tx
    @Inject DataSource dataSource
    @Inject FenceCatalog catalog
    @Inject @Client('/') HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher

    final Random random = new Random(42)
    final String tag = "bench-${System.currentTimeMillis()}"
    final StringBuilder report = new StringBuilder()
    DataSource raw
    String token
    List<Long> wards
    List<double[]> homes = []
    List<Map> rounds = []

    def "ingest over HTTP against raw COPY, with and without GIST on sighting.pos, and POST-to-SSE latency"() {
        given: 'wards, fences and probe wards'
        raw = unwrapDataSource(dataSource)
        token = Accounts.token(http, users, hasher, Role.DISPATCHER)
        line("machine: ${Runtime.runtime.availableProcessors()} cores, load average before: ${loadavg()}")
        line("postgres: ${one('SELECT version()').toString().split(',')[0]}, postgis ${one('SELECT postgis_lib_version()')},"
                + " fsync=${one('SHOW fsync')}, synchronous_commit=${one('SHOW synchronous_commit')},"
                + " sighting rows before: ${one('SELECT count(*) FROM sighting')}")
        wards = newWards(WARDS)
        int fences = makeFences()
        List<Long> probeWards = newWards(IDLE_PROBES + LOAD_PROBES + 1)
        makeFence('SAFE', "ST_SetSRID(ST_MakePoint($PROBE_LON, $PROBE_LAT), 4326)", 300, null, probeWards)
        catalog.invalidate()
        line("setup: ${wards.size()} wards, ${fences} fences (${catalog.index().cellEntries()} cell entries incl. probe zone),"
                + " ${probeWards.size()} probe wards")
        Instant base = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
        postAll(batches(base, 0, WARMUP))
        postBodies([probeFixes(probeWards, PROBE_LON, PROBE_LAT, Instant.now().minusSeconds(60))])
        def sse = new SseLatency(URI.create("${server.URL}/api/alerts/stream?access_token=$token"))
        probe(sse, [probeWards.remove(probeWards.size() - 1)], 1, new AtomicBoolean(true)) // the stream's first event
        sse.awaitConnected()
        sse.await(10)
        sse.reset()
        def load = batches(base, 1_000, BATCHES)
        def loadGist = batches(base, 5_000, BATCHES)
        def loadAsync = batches(base, 9_000, BATCHES)
        def loadAgain = batches(base, 13_000, BATCHES)
        long commits0 = commits()

        when: 'HTTP ingest, with latency probes at 10/s beside it'
        def probing = new AtomicBoolean(true)
        def underLoad = CompletableFuture.supplyAsync({
            probe(sse, probeWards.subList(IDLE_PROBES, probeWards.size()), LOAD_RATE, probing)
        }, CLIENTS)
        Map httpPlain = postAll(load)
        probing.set(false)
        int loadProbes = underLoad.join()
        List<Double> loadLatency = sse.await(15)
        int loadMissing = loadProbes - loadLatency.size()
        long commitsPerBatch = (commits() - commits0).intdiv(load.size())
        long stored = one("SELECT count(*) FROM sighting WHERE subject_id = ANY(?::bigint[]) AND time >= ?",
                ids(wards), java.sql.Timestamp.from(base.plusSeconds(10_000))) as long
        assert evaluation.awaitEvaluated(sightingLog.position(), java.time.Duration.ofSeconds(120))
        evaluation.checkpointNow()
        long evaluated = one("SELECT count(*) FROM subject_state WHERE subject_id = ANY(?::bigint[]) AND last_fix_at = ?",
                ids(wards), java.sql.Timestamp.from(lastTime(load))) as long

        and: 'idle latency: 200 probes at 20/s'
        sse.reset()
        probe(sse, probeWards.subList(0, IDLE_PROBES), IDLE_RATE, new AtomicBoolean(true))
        List<Double> idleLatency = sse.await(15)

        and: 'raw COPY of the same rows, without and with a GIST on pos'
        update('DROP TABLE IF EXISTS bench_copy, bench_copy_gist')
        update('CREATE TABLE bench_copy (LIKE sighting INCLUDING ALL)')
        update('CREATE TABLE bench_copy_gist (LIKE sighting INCLUDING ALL)')
        update('CREATE INDEX bench_copy_gist_pos ON bench_copy_gist USING gist (pos)')
        Map copyPlain = copyAll('bench_copy', load)
        Map copyGist = copyAll('bench_copy_gist', load)

        and: 'HTTP ingest again, with a GIST on sighting.pos for the duration'
        Map httpGist
        try {
            update('CREATE INDEX bench_sighting_pos_gix ON sighting USING gist (pos)')
            httpGist = postAll(loadGist)
        } finally {
            update('DROP INDEX IF EXISTS bench_sighting_pos_gix')
        }

        and: 'diagnosis: HTTP ingest again with synchronous_commit off (no WAL flush wait per commit)'
        Map httpAsync
        try {
            superuser('ALTER SYSTEM SET synchronous_commit = off')
            superuser('SELECT pg_reload_conf()')
            Thread.sleep(500)
            line("diagnostic phase: synchronous_commit=${one('SHOW synchronous_commit')}")
            httpAsync = postAll(loadAsync)
        } finally {
            superuser('ALTER SYSTEM RESET synchronous_commit')
            superuser('SELECT pg_reload_conf()')
        }

        and: 'the first HTTP phase once more, without probes: how much the figures drift within the run'
        Map httpAgain = postAll(loadAgain)

        and: 'interleaved rounds: COPY into sighting itself (its indexes and foreign keys), then HTTP, then swapped'
        for (int r = 0; r < ROUNDS; r++) {
            def copyRows = batches(base, 20_000 + 200 * r, ROUND_BATCHES)
            def httpRows = batches(base, 20_000 + 200 * r + 100, ROUND_BATCHES)
            Map copy, posted
            if (r % 2 == 0) {
                copy = cpuOf(copyRows) { copyAll('sighting', copyRows) }
                posted = cpuOf(httpRows) { postAll(httpRows) }
            } else {
                posted = cpuOf(httpRows) { postAll(httpRows) }
                copy = cpuOf(copyRows) { copyAll('sighting', copyRows) }
            }
            // the log's group append alone, binary COPY against the deduplicating insert, alternating which goes first
            def byCopy = appendBatches(batches(base, 20_000 + 200 * r + 40, ROUND_BATCHES))
            def byInsert = appendBatches(batches(base, 20_000 + 200 * r + 60, ROUND_BATCHES))
            Map appendCopy, appendInsert
            if (r % 2 == 0) {
                appendCopy = AppendTimer.time(context, tx, byCopy, true)
                appendInsert = AppendTimer.time(context, tx, byInsert, false)
            } else {
                appendInsert = AppendTimer.time(context, tx, byInsert, false)
                appendCopy = AppendTimer.time(context, tx, byCopy, true)
            }
            rounds << [copy: copy, http: posted, ratio: posted.rate / copy.rate, load: loadavg(),
                       appendCopy: appendCopy, appendInsert: appendInsert, appendRatio: appendCopy.rate / appendInsert.rate]
        }

        and: 'diagnosis: the same interleaving with every fence of the run moved 5 degrees east (no fix near one)'
        List<Map> away = []
        try {
            update("UPDATE fence SET geom = ST_Translate(geom, 5, 0), area = ST_Translate(area, 5, 0) WHERE name LIKE ?",
                    "$tag%".toString())
            catalog.invalidate()
            for (int r = 0; r < 2; r++) {
                def copyRows = batches(base, 21_000 + 200 * r, ROUND_BATCHES)
                def httpRows = batches(base, 21_000 + 200 * r + 100, ROUND_BATCHES)
                Map copy, posted
                if (r % 2 == 0) {
                    copy = cpuOf(copyRows) { copyAll('sighting', copyRows) }
                    posted = cpuOf(httpRows) { postAll(httpRows) }
                } else {
                    posted = cpuOf(httpRows) { postAll(httpRows) }
                    copy = cpuOf(copyRows) { copyAll('sighting', copyRows) }
                }
                away << [copy: copy, http: posted, ratio: posted.rate / copy.rate, load: loadavg()]
            }
        } finally {
            update("UPDATE fence SET geom = ST_Translate(geom, -5, 0), area = ST_Translate(area, -5, 0) WHERE name LIKE ?",
                    "$tag%".toString())
            catalog.invalidate()
        }

        then:
        stored == load.sum { it.size() }
        evaluated == wards.size()
        httpPlain.rows == stored
        httpGist.rows == stored
        copyPlain.rows == stored
        copyGist.rows == stored

        cleanup:
        sse?.close()
        line("load average after: ${loadavg()}")
        if (httpPlain) {
            double base1 = copyPlain.rate
            line('')
            line(String.format(Locale.ROOT, '%-46s %10s %8s %9s', 'phase', 'rows/s', 'vs COPY', 'ms/batch'))
            row('COPY into bench_copy (baseline)', copyPlain, base1)
            row('HTTP POST /api/sightings (stored + evaluated)', httpPlain, base1)
            row('COPY into bench_copy_gist (+ GIST on pos)', copyGist, base1)
            row('HTTP POST, + GIST on sighting.pos', httpGist, base1)
            if (httpAsync) {
                row('HTTP POST, synchronous_commit=off (diagnosis)', httpAsync, base1)
            }
            if (httpAgain) {
                row('HTTP POST again, as the first (drift check)', httpAgain, base1)
            }
            line(String.format(Locale.ROOT, 'with GIST: COPY %.0f %% of its rate without, HTTP %.0f %% of its rate without',
                    100 * copyGist.rate / copyPlain.rate, 100 * httpGist.rate / httpPlain.rate))
            line("database commits per ${BATCH}-row HTTP batch: $commitsPerBatch")
            if (rounds.size() == ROUNDS) {
                line('')
                line("interleaved rounds ($ROUND_BATCHES batches each way; COPY into sighting itself, same rows' shape):")
                rounds.eachWithIndex { Map r, int i ->
                    line(String.format(Locale.ROOT, '  round %d: COPY %8.0f rows/s, HTTP %8.0f rows/s, HTTP %5.1f%% of COPY (load %s)',
                            i + 1, r.copy.rate, r.http.rate, 100 * r.ratio, r.load))
                }
                List<Double> ratios = rounds.collect { it.ratio as double }.sort()
                line(String.format(Locale.ROOT, '  HTTP / COPY into sighting: median %.1f%%, range %.1f-%.1f%%',
                        100 * ratios[ratios.size().intdiv(2)], 100 * ratios[0], 100 * ratios[-1]))
                line('CPU per row (µs; JVM = server and client threads, PostgreSQL = postmaster and backends, from /proc;'
                        + ' the JVM threads by name; evaluation finished before the count):')
                rounds.eachWithIndex { Map r, int i ->
                    line(String.format(Locale.ROOT, '  round %d: COPY JVM %5.1f PG %5.1f | HTTP JVM %5.1f (server threads %4.1f) PG %5.1f, %.0f fixes per group commit | HTTP threads: %s',
                            i + 1, r.copy.jvmUs, r.copy.pgUs, r.http.jvmUs, r.http.serverUs, r.http.pgUs, r.http.groupFixes as double, r.http.threads))
                }
                line("the log's group append alone ($ROUND_BATCHES batches of $BATCH, one transaction each, one thread):")
                rounds.eachWithIndex { Map r, int i ->
                    line(String.format(Locale.ROOT, '  round %d: binary COPY %8.0f rows/s, insert %8.0f rows/s, COPY x%.2f',
                            i + 1, r.appendCopy.rate, r.appendInsert.rate, r.appendRatio))
                }
                List<Double> appendRatios = rounds.collect { it.appendRatio as double }.sort()
                line(String.format(Locale.ROOT, '  binary COPY / insert: median x%.2f, range x%.2f-x%.2f',
                        appendRatios[appendRatios.size().intdiv(2)], appendRatios[0], appendRatios[-1]))
            }
            if (away) {
                line('diagnosis, not the figure: the same interleaving with every fence moved 5 degrees east (no fix near'
                        + ' a fence: the evaluation finds nothing):')
                away.eachWithIndex { Map r, int i ->
                    line(String.format(Locale.ROOT, '  pair %d: COPY %8.0f rows/s, HTTP %8.0f rows/s, HTTP %5.1f%% of COPY'
                            + ' | CPU per row: COPY JVM %5.1f PG %5.1f, HTTP JVM %5.1f PG %5.1f | HTTP threads: %s (load %s)',
                            i + 1, r.copy.rate, r.http.rate, 100 * r.ratio, r.copy.jvmUs, r.copy.pgUs, r.http.jvmUs,
                            r.http.pgUs, r.http.threads, r.load))
                }
            }
            line('')
            latency('POST -> SSE opened, idle, 20/s', idleLatency, IDLE_PROBES)
            latency('POST -> SSE opened, under the HTTP ingest, 10/s', loadLatency, loadProbes)
        }
        println report
        new File('target/ingest-benchmark.txt').text = report.toString()
        update('DROP TABLE IF EXISTS bench_copy, bench_copy_gist')
        update("UPDATE fence SET retired_at = now() WHERE name LIKE ? AND retired_at IS NULL", "$tag%".toString())
        catalog.invalidate()
        if (wards) {
            update('DELETE FROM sighting WHERE subject_id = ANY(?::bigint[])', ids(wards))
        }
    }

    // --- data ------------------------------------------------------------------------------------------------

    private List<Long> newWards(int n) {
        rows("""INSERT INTO subject (kind, name, offline_minutes)
                SELECT 'WARD', ? || '-ward-' || g, 100000 FROM generate_series(1, ?) g RETURNING id""",
                tag, n).collect { it[0] as long }
    }

    /** 250 SAFE circles (400 m) naming 4 wards each, 100 DANGER and 40 BAN squares, 10 DANGER river corridors. */
    private int makeFences() {
        int count = 0
        for (int i = 0; i < wards.size(); i += 4) {
            double lon = W + random.nextDouble() * (E - W), lat = S + random.nextDouble() * (N - S)
            def named = wards.subList(i, Math.min(wards.size(), i + 4))
            named.each { homes << ([lon, lat] as double[]) }
            makeFence('SAFE', "ST_SetSRID(ST_MakePoint($lon, $lat), 4326)", 400, null, named)
            count++
        }
        100.times { makeFence('DANGER', square(100 + random.nextInt(200)), null, null, []); count++ }
        40.times { makeFence('BAN', square(200 + random.nextInt(300)), null, null, []); count++ }
        10.times {
            double lon = W + random.nextDouble() * (E - W), lat = S + random.nextDouble() * (N - S)
            def points = (0..<40).collect {
                lon += 0.002 + random.nextDouble() * 0.002
                lat += (random.nextDouble() - 0.5) * 0.003
                "$lon $lat"
            }
            makeFence('DANGER', "ST_GeomFromText('LINESTRING(${points.join(',')})', 4326)", null, 50, [])
            count++
        }
        count
    }

    private String square(double metres) {
        double lon = W + random.nextDouble() * (E - W), lat = S + random.nextDouble() * (N - S)
        double dx = metres / 2 / 96_800, dy = metres / 2 / 110_850
        "ST_GeomFromText('POLYGON((${lon - dx} ${lat - dy}, ${lon + dx} ${lat - dy}, ${lon + dx} ${lat + dy}, " +
                "${lon - dx} ${lat + dy}, ${lon - dx} ${lat - dy}))', 4326)"
    }

    private void makeFence(String kind, String geometrySql, Double radius, Double buffer, List<Long> subjects) {
        String area = radius != null
                ? "ST_Buffer(($geometrySql)::geography, $radius)::geometry"
                : buffer != null ? "ST_Buffer(($geometrySql)::geography, $buffer)::geometry" : geometrySql
        update("""INSERT INTO fence (name, kind, geom, area, radius_meters, buffer_meters, dwell_minutes, subjects)
                  VALUES (?, ?, $geometrySql, $area, ?, ?, ?, ?::bigint[])""",
                "$tag-$kind-${UUID.randomUUID()}".toString(), kind, radius, buffer, kind == 'BAN' ? 30 : null,
                "{${subjects.join(',')}}".toString())
    }

    /**
     * {@code count} batches of 1,000 fixes, every 10 s per ward from slot {@code firstSlot} on; the first half of
     * the batches carry the first half of the wards, the second half the others, so two client threads (one per
     * half) never send one ward's fixes out of order. Each ward wanders up to ~220 m from its home (inside its
     * 400 m zone).
     */
    private List<BenchBatch> batches(Instant base, int firstSlot, int count) {
        int half = wards.size().intdiv(THREADS)
        int perThread = count.intdiv(THREADS)
        List<BenchBatch> out = []
        for (int t = 0; t < THREADS; t++) {
            for (int b = 0; b < perThread; b++) {
                def batch = new BenchBatch(BATCH)
                for (int r = 0; r < BATCH; r++) {
                    long k = (long) b * BATCH + r
                    int w = t * half + (int) (k % half)
                    batch.subject[r] = wards[w]
                    batch.time[r] = base.plusSeconds(10L * (firstSlot + k.intdiv(half)))
                    batch.lon[r] = homes[w][0] + (random.nextDouble() * 2 - 1) * 0.0015
                    batch.lat[r] = homes[w][1] + (random.nextDouble() * 2 - 1) * 0.0015
                    batch.accuracy[r] = 5 + random.nextDouble() * 10
                }
                out << batch.render()
            }
        }
        out
    }

    private static Instant lastTime(List<BenchBatch> batches) {
        batches.collect { it.time.max() }.max()
    }

    private static byte[] probeFixes(List<Long> subjects, double lon, double lat, Instant time) {
        def batch = new BenchBatch(subjects.size())
        subjects.eachWithIndex { s, i ->
            batch.subject[i] = s
            batch.time[i] = time
            batch.lon[i] = lon
            batch.lat[i] = lat
            batch.accuracy[i] = 5
        }
        batch.render().json
    }

    /** The batches as the log's writer gets them: sightings of known wards, times to the microsecond. */
    private static List<List<Sighting>> appendBatches(List<BenchBatch> batches) {
        batches.collect { BenchBatch b ->
            (0..<b.size()).collect { int i ->
                Sighting.builder().subject(b.subject[i]).time(b.time[i].truncatedTo(ChronoUnit.MICROS))
                        .at(b.lon[i], b.lat[i]).accuracy(b.accuracy[i]).source(Source.GPS).build()
            }
        }
    }

    // --- the phases ------------------------------------------------------------------------------------------

    /** Posts the batches from {@link #THREADS} threads (thread t takes the t-th share, in order). */
    private Map postAll(List<BenchBatch> batches) {
        int share = batches.size().intdiv(THREADS)
        timed(batches) { int t -> postBodies(batches.subList(t * share, (t + 1) * share)*.json) }
    }

    private int postBodies(List<byte[]> bodies) {
        def client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
        int accepted = 0
        for (byte[] body : bodies) {
            def response = client.send(post(body), HttpResponse.BodyHandlers.ofString())
            assert response.statusCode() == 202: response.body()
            def m = response.body() =~ /"accepted":(\d+)/
            assert m.find()
            accepted += m.group(1) as int
        }
        accepted
    }

    private HttpRequest post(byte[] body) {
        HttpRequest.newBuilder(URI.create("${server.URL}/api/sightings"))
                .header('Content-Type', 'application/json')
                .header('Authorization', "Bearer $token")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build()
    }

    /** COPYs the batches' CSV from {@link #THREADS} connections, one COPY (autocommit) per batch. */
    private Map copyAll(String table, List<BenchBatch> batches) {
        int share = batches.size().intdiv(THREADS)
        timed(batches) { int t ->
            Connection c = raw.getConnection()
            try {
                c.autoCommit = true
                def copy = c.unwrap(PGConnection).copyAPI
                long rows = 0
                batches.subList(t * share, (t + 1) * share).each { b ->
                    rows += copy.copyIn("COPY $table (subject_id, time, pos, accuracy, source) FROM STDIN WITH (FORMAT csv)",
                            new ByteArrayInputStream(b.csv))
                }
                rows
            } finally {
                c.close()
            }
        }
    }

    /**
     * Runs a phase and adds its CPU per row: the whole JVM's (server and client threads) and PostgreSQL's (postmaster
     * and backends, from /proc), after the evaluation of what it stored has finished, and the JVM's by thread name.
     */
    private Map cpuOf(List<BenchBatch> batches, Closure<Map> phase) {
        def groups = context.getBean(io.micrometer.core.instrument.MeterRegistry).find('geoward.log.group.fixes').summary()
        long groups0 = groups.count()
        long jvm0 = jvmCpuNanos(), pg0 = pgCpuTicks()
        Map<String, Long> threads0 = threadCpu()
        Map result = phase()
        long groupCount = groups.count() - groups0
        assert evaluation.awaitEvaluated(sightingLog.position(), java.time.Duration.ofSeconds(120))
        long rows = result.rows as long
        double jvmUs = (jvmCpuNanos() - jvm0) / 1e3 / rows
        double pgUs = (pgCpuTicks() - pg0) * 1e4 / rows
        Map<String, Long> threads1 = threadCpu()
        String byThread = threads1.collect { k, v -> [k, (v - (threads0[k] ?: 0L)) / 1e3 / rows] }
                .findAll { it[1] >= 0.5 }.sort { -it[1] }
                .collect { String.format(Locale.ROOT, '%s %.1f', it[0], it[1]) }.join(', ')
        double serverUs = threads1.findAll { k, v -> SERVER_THREADS.any { k.startsWith(it) } }
                .collect { k, v -> (v - (threads0[k] ?: 0L)) / 1e3 / rows }.sum(0) as double
        result + [jvmUs: jvmUs, pgUs: pgUs, serverUs: serverUs, threads: byThread,
                  groupFixes: groupCount == 0 ? 0 : (result.rows as long) / groupCount]
    }

    /** The server's threads among the JVM's (the rest are this spec's clients, JIT, GC, JFR). */
    static final List<String> SERVER_THREADS = ['default-eventLoopGroup', 'io-executor-thread', 'sighting-log', 'evaluate-',
                                                'scheduled-executor-thread', 'alert-stream', 'deliver-']

    private static long jvmCpuNanos() {
        ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos()
    }

    /** CPU nanos by thread name with its digits taken out, live threads only. */
    private static Map<String, Long> threadCpu() {
        def mx = java.lang.management.ManagementFactory.threadMXBean
        Map<String, Long> out = [:]
        mx.dumpAllThreads(false, false).each { info ->
            long t = mx.getThreadCpuTime(info.threadId)
            if (t > 0) {
                String name = info.threadName.replaceAll(/\d+/, '#')
                out[name] = (out[name] ?: 0L) + t
            }
        }
        out
    }

    /** CPU ticks (1/100 s) of PostgreSQL: the postmaster, its reaped children and its live backends. */
    private long pgCpuTicks() {
        long backend = one('SELECT pg_backend_pid()') as long
        long postmaster = ProcessHandle.of(backend).flatMap { it.parent() }.orElseThrow().pid()
        long total = ticks(postmaster, true)
        ProcessHandle.of(postmaster).ifPresent { h -> h.children().each { total += ticks(it.pid(), false) } }
        total
    }

    /** utime + stime (+ cutime + cstime) of a process from /proc, in clock ticks; 0 when it is gone. */
    private static long ticks(long pid, boolean withReaped) {
        try {
            String stat = new File("/proc/$pid/stat").text
            List<String> f = stat.substring(stat.lastIndexOf(')') + 2).split(' ').toList()
            long t = (f[11] as long) + (f[12] as long)
            withReaped ? t + (f[13] as long) + (f[14] as long) : t
        } catch (IOException ignored) {
            0
        }
    }

    private static Map timed(List<BenchBatch> batches, Closure<Number> work) {
        long t0 = System.nanoTime()
        def futures = (0..<THREADS).collect { int t -> CompletableFuture.supplyAsync({ work(t) }, CLIENTS) }
        long rows = futures.sum { it.join() as long } as long
        double seconds = (System.nanoTime() - t0) / 1e9
        [rows: rows, seconds: seconds, rate: rows / seconds, msPerBatch: 1000 * seconds * THREADS / batches.size()]
    }

    /**
     * Sends one fix per probe ward, 2 km east of the probe zone, at {@code rate} per second until the wards run out
     * or {@code go} turns false; returns how many were sent.
     */
    private int probe(SseLatency sse, List<Long> probeWards, double rate, AtomicBoolean go) {
        def client = java.net.http.HttpClient.newHttpClient()
        long start = System.nanoTime()
        long period = (long) (1e9 / rate)
        List<CompletableFuture<HttpResponse<String>>> sent = []
        for (int i = 0; i < probeWards.size() && go.get(); i++) {
            long due = start + i * period
            long wait = due - System.nanoTime()
            if (wait > 0) {
                Thread.sleep(wait.intdiv(1_000_000), (int) (wait % 1_000_000))
            }
            long ward = probeWards[i]
            byte[] body = """{"subjectId":$ward,"time":"${Instant.now()}","lon":${PROBE_LON + 0.02},"lat":$PROBE_LAT,"accuracy":5}"""
                    .getBytes('UTF-8')
            sse.expect(ward, System.nanoTime())
            sent << client.sendAsync(post(body), HttpResponse.BodyHandlers.ofString())
        }
        sent.each { assert it.join().statusCode() == 202 }
        sent.size()
    }

    // --- report ----------------------------------------------------------------------------------------------

    private void line(String s) {
        report.append(s).append('\n')
    }

    private void row(String name, Map r, double baseline) {
        line(String.format(Locale.ROOT, '%-46s %10.0f %7.1f%% %9.1f', name, r.rate, 100 * r.rate / baseline, r.msPerBatch))
    }

    private void latency(String name, List<Double> ms, int sent) {
        if (ms.isEmpty()) {
            line("$name: no events received of $sent")
            return
        }
        line(String.format(Locale.ROOT, '%s: n=%d (of %d sent) p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms', name,
                ms.size(), sent, pct(ms, 0.50), pct(ms, 0.90), pct(ms, 0.99), ms[-1]))
    }

    private static double pct(List<Double> sorted, double q) {
        sorted[Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1))]
    }

    private static String loadavg() {
        new File('/proc/loadavg').text.split(' ')[0..2].join(' ')
    }

    private static int intEnv(String name, int fallback) {
        System.getenv(name)?.isInteger() ? System.getenv(name) as int : fallback
    }

    // --- SQL -------------------------------------------------------------------------------------------------

    private static String ids(List<Long> ids) {
        "{${ids.join(',')}}".toString()
    }

    private long commits() {
        one('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()') as long
    }

    private Object one(String sql, Object... params) {
        def r = rows(sql, params)
        r ? r[0][0] : null
    }

    private List<List<Object>> rows(String sql, Object... params) {
        Connection c = raw.getConnection()
        try {
            c.autoCommit = true
            def ps = c.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p) }
            List<List<Object>> out = []
            if (ps.execute()) {
                def rs = ps.resultSet
                int n = rs.metaData.columnCount
                while (rs.next()) {
                    out << (1..n).collect { rs.getObject(it) }
                }
            }
            out
        } finally {
            c.close()
        }
    }

    private void update(String sql, Object... params) {
        rows(sql, params)
    }

    /** ALTER SYSTEM is the superuser's: the server's own database user may not (docs/privacy.md). */
    static void superuser(String sql) {
        def endpoint = org.geoward.database.PrivateDatabase.superuser()
        java.sql.DriverManager.getConnection(endpoint.url(), endpoint.username(), endpoint.password())
                .withCloseable { it.createStatement().execute(sql) }
    }
}
