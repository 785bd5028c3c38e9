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
 * Benchmark, not a test (GEOWARD_BENCH=1; docs/privacy.md): what the audit trail costs a request. Sequential requests
 * over loopback, interleaved in rounds so that both see the same machine load: the audit row alone (AuditLog.append,
 * what AuditFilter adds to every audited request: one INSERT into the hash chain, its own transaction) and a whole
 * audited request for scale (GET /api/subjects/{id}: security, routing, the subject's query, JSON, the audit row);
 * then appends from 4 threads at once (the chain's head row serialises them); and the chain's size per row. Writes
 * target/audit-benchmark.txt.
 */
@MicronautTest(transactional = false)
@Requires({ env.GEOWARD_BENCH })
class AuditCostSpec extends Specification {
    static final int ROUNDS = 5
    static final int PER_ROUND = 400

    @Inject EmbeddedServer server
    @Inject @Client('/') HttpClient micronautClient
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject javax.sql.DataSource dataSource
    @Inject org.geoward.audit.AuditLog auditLog

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

        when:
        ROUNDS.times { round ->
            List<Double> rowsAlone = []
            List<Double> requests = []
            PER_ROUND.times {
                rowsAlone << append()
                requests << send("/api/subjects/$ward")
            }
            double r = median(rowsAlone), q = median(requests)
            costs << r
            lines << String.format('round %d: audit row median %.0f µs (p95 %.0f); audited GET /api/subjects/{id} median %.0f µs (p95 %.0f): the row is %.0f %%',
                    round + 1, r, pct(rowsAlone, 0.95), q, pct(requests, 0.95), 100 * r / q)
        }
        def pool = java.util.concurrent.Executors.newFixedThreadPool(4)
        long t0 = System.nanoTime()
        (1..4).collect { pool.submit({ 500.times { auditLog.append(entry) } } as Runnable) }*.get()
        double seconds = (System.nanoTime() - t0) / 1e9
        pool.shutdown()
        lines << String.format('4 threads, 2,000 appends: %.0f rows/s', 2000 / seconds)
        long rows = new org.geoward.subject.PrivacyData(dataSource).count('SELECT count(*) FROM audit_entry') - rowsBefore
        lines << String.format('median over the rounds: %.0f µs per audit row; %d rows added, %.0f bytes each (table and indexes)',
                median(costs), rows, (size() - bytesBefore) / (double) rows)
        def report = lines.join('\n')
        println report
        new File('target/audit-benchmark.txt').text = report + '\n'

        then:
        rows >= 2 * ROUNDS * PER_ROUND + 2000
    }

    static double median(List<Double> xs) { pct(xs, 0.5) }

    static double pct(List<Double> xs, double q) {
        def sorted = xs.sort(false)
        sorted[Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size()))]
    }
}
