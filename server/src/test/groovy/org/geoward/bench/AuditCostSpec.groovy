package org.geoward.bench

import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Requires
import spock.lang.Specification

/**
 * Benchmark, not a test (GEOWARD_BENCH=1; docs/privacy.md, docs/benchmarks.md): what the audit trail costs a request,
 * before and after group commit, in one run. Rounds interleave, so that both ways see the same machine load: one
 * audit row at a time the way before (AuditLog.appendAlone: one INSERT into the hash chain in its own transaction)
 * and after (AuditLog.append: through the group-commit writer), and a whole audited request for scale
 * (GET /api/subjects/{id}); then 2,000 rows from 4 and from 16 threads at once, before and after (before, the chain's
 * head row serialises every commit; after, the writer commits whatever queued meanwhile), and 400 audited GETs from
 * as many threads; and the chain's size per row. Writes target/audit-benchmark.txt.
 */
@MicronautTest(transactional = false)
@Requires({ env.GEOWARD_BENCH })
class AuditCostSpec extends Specification {
    static final int ROUNDS = 5
    static final int PER_ROUND = 400
    static final List<Integer> THREADS = [4, 16]

    @Inject EmbeddedServer server
    @Inject @Client('/') HttpClient micronautClient
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject javax.sql.DataSource dataSource
    @Inject org.geoward.audit.AuditLog auditLog
    @Inject org.geoward.audit.AuditQueries verify

    def "the audit trail's cost per audited request"() {
        given:
        String token = Accounts.token(micronautClient, users, hasher, Role.ADMIN)
        def client = java.net.http.HttpClient.newHttpClient()
        def base = server.URI
        def ward = micronautClient.toBlocking().retrieve(io.micronaut.http.HttpRequest.POST('/api/subjects', [kind: 'WARD', name: 'bench ward'])
                .bearerAuth(token), Map).id
        def send = { String path ->
            long t0 = System.nanoTime()
            def r = client.send(HttpRequest.newBuilder(base.resolve(path)).header('Authorization', "Bearer $token").build(),
                    HttpResponse.BodyHandlers.ofString())
            assert r.statusCode() == 200
            (System.nanoTime() - t0) / 1000.0
        }
        def entry = new org.geoward.audit.AuditRecord('bench', 'ADMIN', org.geoward.audit.AuditAction.READ, 'GET',
                '/api/subjects/{id}', "/api/subjects/$ward".toString(), null, ward as Long, null, null, null, 200)
        def append = { ->
            long t0 = System.nanoTime()
            auditLog.append(entry)
            (System.nanoTime() - t0) / 1000.0
        }
        600.times { append(); send("/api/subjects/$ward") }   // warm-up: JIT, pool, caches
        def size = { -> new org.geoward.subject.PrivacyData(dataSource).first("SELECT pg_total_relation_size('audit_entry')") as long }
        long bytesBefore = size()
        long rowsBefore = new org.geoward.subject.PrivacyData(dataSource).count('SELECT count(*) FROM audit_entry')
        List<String> lines = []
        List<Double> costs = []
        List<Double> ratios = []
        Map<Integer, List<Double>> concurrentRatios = [:].withDefault { [] }
        Map<String, List<Double>> rates = [:].withDefault { [] }
        def pool = java.util.concurrent.Executors.newFixedThreadPool(THREADS.max())
        def concurrently = { int threads, int perThread, Closure once ->
            long t0 = System.nanoTime()
            (1..threads).collect { pool.submit({ perThread.times { once() } } as Runnable) }*.get()
            threads * perThread / ((System.nanoTime() - t0) / 1e9)
        }
        def alone = { ->
            long t0 = System.nanoTime()
            auditLog.appendAlone(entry)
            (System.nanoTime() - t0) / 1000.0
        }

        when: "rounds interleave the way before group commit (appendAlone: one transaction per row) and after (append)"
        ROUNDS.times { round ->
            List<Double> rowsAlone = []
            List<Double> rowsGrouped = []
            List<Double> requests = []
            PER_ROUND.times {
                rowsAlone << alone()
                rowsGrouped << append()
                requests << send("/api/subjects/$ward")
            }
            double a = median(rowsAlone), g = median(rowsGrouped), q = median(requests)
            costs << g
            ratios << g / a
            lines << String.format('round %d, one at a time: before %.0f µs (p95 %.0f), after %.0f µs (p95 %.0f) per audit row;'
                    + ' audited GET /api/subjects/{id} median %.0f µs (p95 %.0f): the row is %.0f %%',
                    round + 1, a, pct(rowsAlone, 0.95), g, pct(rowsGrouped, 0.95), q, pct(requests, 0.95), 100 * g / q)
            THREADS.each { int threads ->
                int perThread = 2000.intdiv(threads)
                double before = concurrently(threads, perThread) { auditLog.appendAlone(entry) }
                double after = concurrently(threads, perThread) { auditLog.append(entry) }
                double http = concurrently(threads, 400.intdiv(threads)) { send("/api/subjects/$ward") }
                rates["before $threads"] << before
                rates["after $threads"] << after
                rates["http $threads"] << http
                concurrentRatios[threads] << after / before
                lines << String.format('round %d, %d threads: before %.0f rows/s, after %.0f rows/s (x%.2f); audited GETs %.0f/s',
                        round + 1, threads, before, after, after / before, http)
            }
        }
        pool.shutdown()
        lines << String.format('one at a time, after / before per row: median %.2f (range %.2f-%.2f)',
                median(ratios), ratios.min(), ratios.max())
        THREADS.each { int threads ->
            def r = concurrentRatios[threads]
            lines << String.format('%d threads: before median %.0f rows/s (%.0f-%.0f), after median %.0f rows/s (%.0f-%.0f);'
                    + ' after / before median x%.2f (range x%.2f-x%.2f); audited GETs median %.0f/s (%.0f-%.0f)',
                    threads, median(rates["before $threads"]), rates["before $threads"].min(), rates["before $threads"].max(),
                    median(rates["after $threads"]), rates["after $threads"].min(), rates["after $threads"].max(),
                    median(r), r.min(), r.max(),
                    median(rates["http $threads"]), rates["http $threads"].min(), rates["http $threads"].max())
        }
        long rows = new org.geoward.subject.PrivacyData(dataSource).count('SELECT count(*) FROM audit_entry') - rowsBefore
        lines << String.format('median over the rounds: %.0f µs per audit row (after); %d rows added, %.0f bytes each (table and indexes)',
                median(costs), rows, (size() - bytesBefore) / (double) rows)
        lines << String.format('the chain verifies: %s', verify.verify().intact())
        def report = lines.join('\n')
        println report
        new File('target/audit-benchmark.txt').text = report + '\n'

        then:
        rows >= 3 * ROUNDS * PER_ROUND
        verify.verify().intact()
    }

    static double median(List<Double> xs) { pct(xs, 0.5) }

    static double pct(List<Double> xs, double q) {
        def sorted = xs.sort(false)
        sorted[Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size()))]
    }
}
