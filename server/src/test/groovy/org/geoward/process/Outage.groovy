package org.geoward.process

import java.time.Duration
import java.time.Instant
import java.util.concurrent.Callable
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ExecutionException
import java.util.concurrent.ExecutorService
import java.util.concurrent.Future
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import org.geoward.process.IngestLedger.Answer
import org.geoward.process.IngestLedger.Batch

/**
 * An outage (the database killed, its disk full) measured from the senders' side: one sender per ward posts batches of
 * {@link #BATCH} fixes to {@code POST /api/sightings}, each until it is acknowledged, until {@link #stop}. Afterwards
 * it says what the senders heard while the outage lasted (503 with Retry-After, within {@link #ANSWER_LIMIT}), whether
 * any answer was a 500, whether the 503s leaked internals, and which acknowledged fix is not stored. Shared by
 * {@link DatabaseRestartSpec} and {@link DiskFullSpec}. Times are epoch milliseconds. Thread-safe.
 */
class Outage {
    static final int BATCH = 50
    /** The longest a sender may wait for an answer during an outage: "a few seconds". */
    static final Duration ANSWER_LIMIT = Duration.ofSeconds(5)
    /** The client's timeout: longer than the limit, so that a slow answer shows how slow it was. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10)

    /** Every answer the senders heard, and every fix acknowledged. */
    final IngestLedger ledger = new IngestLedger()

    private final ServerProcess server
    private final String token
    private final List<Long> wards
    private final Instant base
    private final Duration batchDeadline
    private final long pauseMillis
    private final Map<Long, AtomicInteger> counters = new ConcurrentHashMap<>()
    private final AtomicBoolean stopped = new AtomicBoolean()
    private final List<Future> senders = []

    /**
     * Senders for {@code wards}, their fixes 100 ms apart in event time from {@code base}; each batch is posted again
     * until acknowledged or {@code batchDeadline} passes (then the sender fails), {@code pauseMillis} between batches.
     */
    Outage(ServerProcess server, String token, List<Long> wards, Instant base, Duration batchDeadline, long pauseMillis) {
        this.server = server
        this.token = token
        this.wards = List.copyOf(wards)
        this.base = base
        this.batchDeadline = batchDeadline
        this.pauseMillis = pauseMillis
        wards.each { counters[it] = new AtomicInteger() }
    }

    /** Posts one batch of every ward, each until acknowledged within {@code deadline}, before the senders start. */
    void postOneBatchEach(Duration deadline) {
        wards.each { ledger.postUntilAcked(server, token, nextBatch(it), CLIENT_TIMEOUT, deadline) }
    }

    /** Starts one sender per ward on {@code threads}; returns this. */
    Outage start(ExecutorService threads) {
        wards.each { ward -> senders << threads.submit({ send(ward) } as Callable) }
        this
    }

    /** Whether a sender was answered {@code status} to a batch it sent at or after {@code since}. */
    boolean heard(int status, long since) {
        ledger.answers.any { it.status == status && it.startedAt >= since }
    }

    /** When the first answer {@code status} to a batch sent at or after {@code since} came; null when none came. */
    Long firstHeard(int status, long since) {
        ledger.answers.findAll { it.status == status && it.startedAt >= since }*.endedAt.min() as Long
    }

    /** Stops the senders; returns why those that did not finish within {@code seconds} did not (empty: all did). */
    List<String> stop(int seconds) {
        stopped.set(true)
        senders.findResults { outcome(it, seconds) }
    }

    /** The answers to batches sent from {@code from} (inclusive) until {@code until} (exclusive). */
    List<Answer> askedBetween(long from, long until) {
        ledger.answers.toList().findAll { it.startedAt >= from && it.startedAt < until }
    }

    /**
     * The answers, among {@code answers}, that a sender must not hear during an outage: anything but a 503 with
     * Retry-After or an {@code accepted} that came after {@code backAt} (the outage's end, or 0: any time), or an answer
     * slower than {@link #ANSWER_LIMIT}. One line each, without repeats.
     */
    static List<String> wrong(List<Answer> answers, long backAt, int accepted = 202) {
        answers.findAll { !fine(it, backAt, accepted) }*.toString().unique()
    }

    /** Whether a sender may hear {@code answer} during an outage: see {@link #wrong}. */
    static boolean fine(Answer answer, long backAt, int accepted = 202) {
        answer.millis <= ANSWER_LIMIT.toMillis() &&
                (answer.status == 503 && answer.retryAfter != null || answer.status == accepted && answer.endedAt > backAt)
    }

    /** The answers of {@code ledger} that were a 5xx other than 503, one line each, without repeats. */
    static List<String> serverErrors(IngestLedger ledger) {
        ledger.answers.toList().findAll { it.status >= 500 && it.status != 503 }*.toString().unique()
    }

    /** The senders' answers that were a 5xx other than 503. */
    List<String> serverErrors() {
        serverErrors(ledger)
    }

    /** The texts of the 503s that showed a client any of {@code internals}, without repeats. */
    List<String> leaks(List<String> internals) {
        ledger.answers.toList().findAll { a -> a.status == 503 && internals.any { a.error?.contains(it) } }*.error.unique()
    }

    /** The acknowledged fixes that are not in {@code sighting}. */
    List<String> lost() {
        ledger.missingFrom(server)
    }

    /** The next {@link #BATCH} fixes of {@code ward}, 100 ms apart in event time. */
    private Batch nextBatch(long ward) {
        int first = counters[ward].getAndAdd(BATCH)
        new Batch((first..<first + BATCH).collect { n ->
            [subjectId: ward, time: base.plusMillis(100L * n).toString(), lon: 107.39 + n * 1e-6, lat: 29.70, accuracy: 5]
        })
    }

    private void send(long ward) {
        while (!stopped.get()) {
            ledger.postUntilAcked(server, token, nextBatch(ward), CLIENT_TIMEOUT, batchDeadline)
            Thread.sleep(pauseMillis)
        }
    }

    /** Null when the task finished within {@code seconds}, else why it did not. */
    static String outcome(Future task, int seconds) {
        try {
            task.get(seconds, TimeUnit.SECONDS)
            null
        } catch (ExecutionException e) {
            e.cause.message
        } catch (TimeoutException e) {
            "a sender did not finish within $seconds s".toString()
        }
    }
}
