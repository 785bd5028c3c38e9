package org.geoward.bench;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.geoward.database.PrivateCluster;
import org.geoward.evaluate.Fence;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.io.WKTWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Makes the evaluator's per-fence decision in PostGIS, for the same fences and fixes as {@link EvaluatorBenchmark}:
 * which fences a fix lies within (hysteresis + accuracy) of, and its signed depth in each (metres on the spheroid,
 * positive inside), classed as entered (1), left (-1) or within the band (0). The fences sit in a table with a GIST
 * index on their geography in a private PostGIS cluster under {@code bench/target/postgis} (stopped at tear-down),
 * JIT off. Scores are fixes per second; the subject state bookkeeping the evaluator also does is left out here.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PostgisBenchmark {
    /** Fixes per set-based query. */
    static final int BATCH = 1_000;

    /**
     * Decides fixes p against the fences: a fence's signed depth is the largest over its rows (a corridor is stored
     * in pieces of at most {@link #PIECE_VERTICES} vertices, as ST_Subdivide advises for long lines).
     */
    private static final String DECIDE =
            """
            SELECT id, CASE WHEN depth > band THEN 1 WHEN depth < -band THEN -1 ELSE 0 END AS decision
            FROM (SELECT p.i, f.id, max(d.depth) AS depth, max(f.hysteresis + p.acc) AS band
                  FROM %s
                  JOIN bench_fence f ON ST_DWithin(f.geog, p.g, ?)
                  CROSS JOIN LATERAL (SELECT CASE
                      WHEN f.edge IS NULL THEN f.reach - ST_Distance(f.geog, p.g)
                      WHEN ST_Covers(f.geog, p.g) THEN ST_Distance(f.edge, p.g)
                      ELSE -ST_Distance(f.geog, p.g) END AS depth) d
                  WHERE d.depth >= -(f.hysteresis + p.acc)
                  GROUP BY p.i, f.id) decided
            """;

    private static final String ONE_FIX = DECIDE.formatted(
            "(SELECT 1 AS i, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography AS g, ?::float8 AS acc) p");

    private static final String MANY_FIXES = DECIDE.formatted(
            """
            (SELECT i, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS g, acc
             FROM unnest(?::float8[], ?::float8[], ?::float8[]) WITH ORDINALITY AS u(lon, lat, acc, i)) p""");

    static final int PIECE_VERTICES = 64;

    @Param({"10", "1000", "10000"})
    public int fences;

    private PrivateCluster cluster;
    private Connection connection;
    private PreparedStatement oneFix;
    private PreparedStatement manyFixes;
    private final Walk walk = new Walk();
    /** The largest circle radius or corridor buffer plus the largest hysteresis: the GIST search radius. */
    private double widestReach;

    @Setup
    public void setUp() throws SQLException {
        cluster = new PrivateCluster(
                Path.of(System.getProperty("geoward.bench.dir", "bench/target/postgis")), null, false);
        PrivateCluster.Endpoint endpoint = cluster.start();
        Properties props = new Properties();
        props.setProperty("user", endpoint.username());
        props.setProperty("password", endpoint.password());
        connection = DriverManager.getConnection(endpoint.url(), props);
        load(FenceMix.generate(fences, 1, EvaluatorBenchmark.WARDS));
        oneFix = connection.prepareStatement(ONE_FIX);
        manyFixes = connection.prepareStatement(MANY_FIXES);
    }

    private void load(List<Fence> list) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET jit = off");
            s.execute("DROP TABLE IF EXISTS bench_fence");
            s.execute(
                    """
                    CREATE TABLE bench_fence (id bigint NOT NULL, reach float8 NOT NULL, hysteresis float8 NOT NULL,
                                              geog geography NOT NULL, edge geography)""");
        }
        WKTWriter wkt = new WKTWriter();
        double reach = 0, hysteresis = 0;
        try (PreparedStatement insert = connection.prepareStatement(
                """
                INSERT INTO bench_fence
                SELECT ?, ?, ?, part::geography, CASE WHEN ST_Dimension(g) = 2 THEN ST_Boundary(g)::geography END
                FROM ST_GeomFromText(?, 4326) AS g,
                     LATERAL (SELECT ST_Subdivide(g, ?) AS part WHERE ST_Dimension(g) = 1
                              UNION ALL SELECT g WHERE ST_Dimension(g) <> 1) parts""")) {
            for (Fence f : list) {
                double r = f.geometry() instanceof Point ? f.radiusMeters() : f.bufferMeters();
                reach = Math.max(reach, r);
                hysteresis = Math.max(hysteresis, f.hysteresisMeters());
                insert.setLong(1, f.id());
                insert.setDouble(2, r);
                insert.setDouble(3, f.hysteresisMeters());
                insert.setString(4, wkt.write(f.geometry()));
                insert.setInt(5, PIECE_VERTICES);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE INDEX ON bench_fence USING gist (geog)");
            s.execute("ANALYZE bench_fence");
        }
        widestReach = reach + hysteresis;
    }

    @TearDown
    public void tearDown() throws SQLException {
        connection.close();
        cluster.stop();
    }

    /** Decides the next fix with one query from the client. */
    @Benchmark
    public long perFix() throws SQLException {
        int i = walk.step();
        oneFix.setDouble(1, walk.lon(i));
        oneFix.setDouble(2, walk.lat(i));
        oneFix.setDouble(3, Walk.ACCURACY);
        oneFix.setDouble(4, widestReach + Walk.ACCURACY);
        return consume(oneFix);
    }

    /** Decides the next {@link #BATCH} fixes with one set-based query. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batch() throws SQLException {
        Double[] lon = new Double[BATCH], lat = new Double[BATCH], acc = new Double[BATCH];
        for (int k = 0; k < BATCH; k++) {
            int i = walk.step();
            lon[k] = walk.lon(i);
            lat[k] = walk.lat(i);
            acc[k] = Walk.ACCURACY;
        }
        Array lons = connection.createArrayOf("float8", lon);
        Array lats = connection.createArrayOf("float8", lat);
        Array accs = connection.createArrayOf("float8", acc);
        manyFixes.setArray(1, lons);
        manyFixes.setArray(2, lats);
        manyFixes.setArray(3, accs);
        manyFixes.setDouble(4, widestReach + Walk.ACCURACY);
        return consume(manyFixes);
    }

    private static long consume(PreparedStatement query) throws SQLException {
        long sum = 0;
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                sum += rs.getLong(1) * 3 + rs.getInt(2);
            }
        }
        return sum;
    }
}
