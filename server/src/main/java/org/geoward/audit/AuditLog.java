package org.geoward.audit;

import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends to the audit trail by group commit: callers {@link #append} a row and wait; one writer thread takes every
 * row queued meanwhile (up to {@code geoward.audit.group-rows}, default 500), inserts them in one statement and one
 * transaction, and answers each caller only after that commit. The database numbers each row and chains its hash
 * (trigger {@code audit_chain}, V27/V45), row by row within the statement, so the chain is the same as with one
 * transaction per row; only the commit and the chain head's lock are shared by the group. Nobody waits for company:
 * the writer takes what is there as soon as it is free, so a lone request costs one insert and one commit, and
 * concurrent ones gather behind the commit in progress.
 *
 * <p>When a group fails for a reason that is not the database being away, its rows are tried one by one, so one bad
 * row fails only its caller. A caller whose row is not committed within {@code geoward.audit.answer-timeout} (10 s)
 * gets an exception (the filter answers 503). Thread-safe.
 */
@Singleton
public class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private static final String INSERT =
            """
            INSERT INTO audit_entry (username, role, action, method, endpoint, path, query, subject_id, alert_id,
                                     purpose, status, prev_hash, hash)
            SELECT r.username, r.role, r.action, r.method, r.endpoint, r.path, r.query,
                   coalesce(r.subject_id, (SELECT a.subject_id FROM alert a WHERE a.id = r.alert_id),
                            (SELECT d.subject_id FROM device d WHERE d.id = r.device_id)),
                   r.alert_id, r.purpose, r.status, '\\x', '\\x'
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],
                        ?::bigint[], ?::bigint[], ?::text[], ?::int[])
                 WITH ORDINALITY AS r(username, role, action, method, endpoint, path, query, subject_id, alert_id,
                                      device_id, purpose, status, n)
            ORDER BY r.n""";

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;
    private final int groupRows;
    private final Duration answerTimeout;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private Thread writer;
    private boolean stopped;

    AuditLog(
            JdbcOperations jdbc,
            TransactionOperations<Connection> tx,
            @Value("${geoward.audit.group-rows:500}") int groupRows,
            @Value("${geoward.audit.answer-timeout:10s}") Duration answerTimeout) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.groupRows = Math.max(1, groupRows);
        this.answerTimeout = answerTimeout;
    }

    private record Pending(AuditRecord entry, CompletableFuture<Void> done) {}

    /**
     * Appends {@code entry} (its subject found from the alert or device it names when it names none itself) and
     * returns once it is committed; throws when it could not be.
     */
    public void append(AuditRecord entry) {
        Pending pending = new Pending(entry, new CompletableFuture<>());
        lock.lock();
        try {
            if (stopped) {
                throw new IllegalStateException("the audit log is shut down");
            }
            startIfNeeded();
            queue.add(pending);
            queued.signal();
        } finally {
            lock.unlock();
        }
        try {
            pending.done().get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the audit row's commit", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the audit row was not committed within " + answerTimeout, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Appends {@code entry} in a transaction of its own, without the writer (the way before group commit). */
    public void appendAlone(AuditRecord entry) {
        tx.executeWrite(status -> insert(List.of(entry)));
    }

    private void startIfNeeded() {
        if (writer == null) {
            writer = new Thread(this::run, "audit-log");
            writer.setDaemon(true);
            writer.start();
        }
    }

    @PreDestroy
    void stop() {
        Thread w;
        lock.lock();
        try {
            stopped = true;
            w = writer;
            queued.signalAll();
        } finally {
            lock.unlock();
        }
        if (w != null) {
            try {
                w.join(answerTimeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (true) {
            List<Pending> group = new ArrayList<>();
            lock.lock();
            try {
                while (queue.isEmpty() && !stopped) {
                    queued.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    return;
                }
                while (!queue.isEmpty() && group.size() < groupRows) {
                    group.add(queue.poll());
                }
            } finally {
                lock.unlock();
            }
            write(group);
        }
    }

    private void write(List<Pending> group) {
        try {
            tx.executeWrite(status -> insert(group.stream().map(Pending::entry).toList()));
            group.forEach(p -> p.done().complete(null));
        } catch (RuntimeException e) {
            if (group.size() == 1 || org.geoward.problem.DatabaseFailures.isTransient(e)) {
                group.forEach(p -> p.done().completeExceptionally(e));
                return;
            }
            LOG.warn("a group of {} audit rows failed ({}): trying them one by one", group.size(), e.toString());
            for (Pending p : group) {
                write(List.of(p));
            }
        }
    }

    private int insert(List<AuditRecord> rows) {
        return jdbc.prepareStatement(INSERT, ps -> {
            Connection c = ps.getConnection();
            int n = rows.size();
            String[][] texts = new String[8][n];
            Long[][] ids = new Long[3][n];
            Integer[] statuses = new Integer[n];
            for (int i = 0; i < n; i++) {
                AuditRecord r = rows.get(i);
                texts[0][i] = r.username();
                texts[1][i] = r.role();
                texts[2][i] = r.action().name();
                texts[3][i] = r.method();
                texts[4][i] = r.endpoint();
                texts[5][i] = r.path();
                texts[6][i] = r.query();
                texts[7][i] = r.purpose();
                ids[0][i] = r.subjectId();
                ids[1][i] = r.alertId();
                ids[2][i] = r.deviceId();
                statuses[i] = r.status();
            }
            for (int k = 0; k < 7; k++) {
                ps.setArray(k + 1, c.createArrayOf("text", texts[k]));
            }
            for (int k = 0; k < 3; k++) {
                ps.setArray(8 + k, c.createArrayOf("bigint", ids[k]));
            }
            ps.setArray(11, c.createArrayOf("text", texts[7]));
            ps.setArray(12, c.createArrayOf("integer", statuses));
            return ps.executeUpdate();
        });
    }
}
