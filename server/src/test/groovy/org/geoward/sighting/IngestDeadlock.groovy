package org.geoward.sighting

import io.micronaut.runtime.server.EmbeddedServer

import javax.sql.DataSource
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.sql.Connection
import java.util.concurrent.CompletableFuture

import static io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource

/**
 * Makes PostgreSQL abort an ingest for a real deadlock: a second transaction inserts the later of two fixes, the
 * ingest (a batch of both, stored in (subject, time) order) inserts the earlier and waits for the later, then the
 * second transaction inserts the earlier and waits for the ingest. The ingest waited first, so its deadlock check
 * fires first (the other transaction's {@code deadlock_timeout} is 10 s) and it is the one rolled back; then the
 * other transaction rolls back too.
 */
class IngestDeadlock {
    final EmbeddedServer server
    final DataSource dataSource
    final String token

    IngestDeadlock(EmbeddedServer server, DataSource dataSource, String token) {
        this.server = server
        this.dataSource = unwrapDataSource(dataSource)
        this.token = token
    }

    /** Posts {@code first} and {@code second} (one ward, second later) in one batch while the deadlock plays out. */
    HttpResponse<String> post(Map first, Map second) {
        Connection other = dataSource.connection
        try {
            other.autoCommit = false
            other.createStatement().execute("SET deadlock_timeout = '10s'")
            insert(other, second)
            def body = groovy.json.JsonOutput.toJson([first, second])
            CompletableFuture<HttpResponse<String>> response = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create("${server.URL}/api/sightings"))
                            .header('Content-Type', 'application/json').header('Authorization', "Bearer $token")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString())
            awaitIngestWaitingForLock(other)
            insert(other, first) // waits until PostgreSQL has aborted the ingest's transaction
            other.rollback()
            response.get()
        } finally {
            other.rollback()
            other.close()
        }
    }

    private static void insert(Connection c, Map fix) {
        def insert = c.prepareStatement('''
                INSERT INTO sighting (subject_id, time, pos, accuracy, source, kind)
                VALUES (?, ?::timestamptz, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, 5, 'GPS',
                        (SELECT kind FROM subject WHERE id = ?))''')
        insert.setLong(1, fix.subjectId as long)
        insert.setString(2, fix.time as String)
        insert.setDouble(3, fix.lon as double)
        insert.setDouble(4, fix.lat as double)
        insert.setLong(5, fix.subjectId as long)   // the kind: the same partition and key as ingest's row (V44)
        insert.executeUpdate()
    }

    /** Waits until some session (the ingest) is blocked by this connection's uncommitted row. */
    private static void awaitIngestWaitingForLock(Connection c) {
        long deadline = System.nanoTime() + 10_000_000_000L
        while (System.nanoTime() < deadline) {
            def rs = c.createStatement().executeQuery(
                    'SELECT count(*) FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))')
            rs.next()
            if (rs.getLong(1) > 0) {
                return
            }
            Thread.sleep(20)
        }
        throw new AssertionError('the ingest never waited for the uncommitted fix')
    }
}
