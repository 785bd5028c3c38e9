package org.geoward.sighting

import io.micronaut.context.ApplicationContext
import io.micronaut.transaction.TransactionOperations

import java.sql.Connection

/**
 * For IngestBenchmarkSpec: the log's group append alone, as the log's writer does it (one batch per transaction, rows
 * in (subject, time) order), by binary COPY or by the deduplicating insert, so that the two can be compared on the
 * same table in one run. {@link SightingStore} is package-private; this reaches it from the benchmark's package.
 */
class AppendTimer {
    /** Appends each batch of fixes of wards in its own transaction; returns [rows, seconds, rate]. */
    static Map time(ApplicationContext context, TransactionOperations<Connection> tx, List<List<Sighting>> batches,
                    boolean copy) {
        SightingStore store = context.getBean(SightingStore)
        long t0 = System.nanoTime()
        long rows = 0
        for (List<Sighting> batch : batches) {
            List<Sighting> ordered = batch.toSorted { a, b -> a.subjectId() <=> b.subjectId() ?: a.time() <=> b.time() }
            Map<Long, String> kinds = ordered.collectEntries { [it.subjectId(), 'WARD'] }
            rows += tx.executeWrite { status -> copy ? store.copy(ordered, kinds) : store.append(ordered) }.size()
        }
        double seconds = (System.nanoTime() - t0) / 1e9
        [rows: rows, seconds: seconds, rate: rows / seconds]
    }
}
