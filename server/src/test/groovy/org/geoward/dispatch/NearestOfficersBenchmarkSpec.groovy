package org.geoward.dispatch

import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import spock.lang.Requires
import spock.lang.Specification

import javax.sql.DataSource
import java.sql.Connection

/**
 * Benchmark, not a test: the nearest-available-officer query among 10,000 officers spread over Fuling. Runs only
 * with GEOWARD_BENCH=1 (see docs/dispatch.md); prints median and p99 latency and the EXPLAIN ANALYZE plan.
 */
@MicronautTest(transactional = false)
@Requires({ env.GEOWARD_BENCH })
class NearestOfficersBenchmarkSpec extends Specification {
    static final String UNIT = "BENCH-POLICE"

    @Inject DataSource dataSource
    @Inject NearestOfficers nearest
    @Inject TransactionOperations<Connection> transactions

    def "the nearest available officer among 10,000 takes well under 5 ms at p99"() {
        given: '10,000 officers over 107.25..107.50 E, 29.60..29.80 N: 80 % police, 80 % available, fixes 0..20 min old'
        def data = new DispatchData(dataSource)
        data.update("DELETE FROM subject WHERE unit IN ('BENCH-POLICE', 'BENCH-FISHERIES')")
        data.update("""
            WITH o AS (
              INSERT INTO subject (kind, name, unit, status, travel_mode)
              SELECT 'OFFICER', 'bench ' || g, CASE WHEN random() < 0.8 THEN 'BENCH-POLICE' ELSE 'BENCH-FISHERIES' END,
                     CASE WHEN random() < 0.8 THEN 'AVAILABLE' ELSE 'BUSY' END,
                     (ARRAY['WALK', 'CAR', 'BOAT'])[1 + floor(random() * 3)::int]
              FROM generate_series(1, 10000) g RETURNING id)
            INSERT INTO subject_position (subject_id, time, pos, source)
            SELECT id, now() - random() * interval '20 minutes',
                   ST_SetSRID(ST_MakePoint(107.25 + random() * 0.25, 29.60 + random() * 0.20), 4326)::geography, 'GPS'
            FROM o""")
        data.update("ANALYZE subject")
        data.update("ANALYZE subject_position")
        def random = new Random(42)
        def point = { [107.25 + random.nextDouble() * 0.25, 29.60 + random.nextDouble() * 0.20] }

        when: '200 warm-up queries, then 2,000 timed ones at random points, limit 5'
        200.times { def p = point(); query(p[0], p[1]) }
        List<Double> millis = (1..2000).collect {
            def p = point()
            long t0 = System.nanoTime()
            def found = query(p[0], p[1])
            double ms = (System.nanoTime() - t0) / 1e6
            assert found.size() == 5
            ms
        }.sort()
        String plan = explain(107.39, 29.70)
        String report = String.format(Locale.ROOT, "nearest-officers benchmark: n=2000 median=%.3f ms p99=%.3f ms max=%.3f ms%n%s",
                millis[1000], millis[1980], millis[-1], plan)
        println report
        new File("target/dispatch-benchmark.txt").text = report

        then:
        plan.contains("subject_position_gix")

        cleanup:
        data.update("DELETE FROM subject WHERE unit IN ('BENCH-POLICE', 'BENCH-FISHERIES')")
    }

    private List<Candidate> query(double lon, double lat) {
        transactions.executeRead { nearest.find(lon, lat, UNIT, 5, []) }
    }

    private String explain(double lon, double lat) {
        new DispatchData(dataSource).rows("EXPLAIN (ANALYZE, BUFFERS) " + NearestOfficers.SQL,
                [lon, lat, UNIT, 10, [] as Long[], lon, lat, 5, lon, lat, UNIT, 10, [] as Long[], lon, lat, 5, 5])
                .collect { it.values().first() }.join("\n")
    }
}
