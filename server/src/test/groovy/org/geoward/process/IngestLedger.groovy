package org.geoward.process

import groovy.json.JsonOutput
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.net.http.HttpTimeoutException
import java.time.Duration
import java.time.Instant
import java.time.OffsetDateTime
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong

/**
 * What the senders of a spec were told by {@code POST /api/sightings}: every answer (status, Retry-After, when it was
 * asked and answered) and the fixes of every batch that was acknowledged with 202, so that a spec can check that
 * each acknowledged fix is in {@code sighting}. Thread-safe.
 */
class IngestLedger {
    /** No HTTP answer: the connection failed or was reset. */
    static final int NO_ANSWER = -1
    /** No HTTP answer within the client's timeout. */
    static final int TIMED_OUT = -2

    /** A batch of fixes, serialised once; it keeps the JSON and the fixes' keys, not the fixes. */
    static class Batch {
        final String json
        final List<String> keys

        Batch(List<Map> fixes) {
            this.json = JsonOutput.toJson(fixes)
            this.keys = fixes.collect { key(it.subjectId as long, Instant.parse(it.time as String)) }
        }

        int size() { keys.size() }
    }

    /** One try of one batch. Times are epoch milliseconds. */
    static class Answer {
        int status
        String retryAfter
        long startedAt
        long endedAt
        String error

        long getMillis() { endedAt - startedAt }

        boolean isShedding() { status in [429, 503] }

        @Override
        String toString() {
            "${status == NO_ANSWER ? 'no answer' : status == TIMED_OUT ? 'timed out' : status}" +
                    "${retryAfter != null ? " Retry-After: $retryAfter" : ''} after $millis ms" +
                    "${error ? " ($error)" : ''}"
        }
    }

    final Queue<Answer> answers = new ConcurrentLinkedQueue<>()
    private final Set<String> acked = ConcurrentHashMap.newKeySet()
    private final AtomicLong ackedFixes = new AtomicLong()
    private final AtomicInteger inFlight = new AtomicInteger()

    /** Posts {@code batch} once and records what came back; a 202 marks its fixes acknowledged. */
    Answer post(ServerProcess server, String token, Batch batch, Duration timeout) {
        def answer = new Answer(startedAt: System.currentTimeMillis())
        inFlight.incrementAndGet()
        try {
            HttpResponse<String> response = server.post("/api/sightings", batch.json, token, timeout)
            answer.status = response.statusCode()
            answer.retryAfter = response.headers().firstValue("Retry-After").orElse(null)
            if (answer.status == 202) {
                acked.addAll(batch.keys)
                ackedFixes.addAndGet(batch.size())
            } else if (answer.status >= 400) {
                answer.error = response.body()?.take(300)
            }
        } catch (HttpTimeoutException e) {
            answer.status = TIMED_OUT
            answer.error = e.message
        } catch (IOException e) {
            answer.status = NO_ANSWER
            answer.error = e.toString().take(200)
        } finally {
            inFlight.decrementAndGet()
        }
        answer.endedAt = System.currentTimeMillis()
        answers << answer
        answer
    }

    /**
     * Posts {@code batch} until it is acknowledged: after a 503 or 429 waits as Retry-After says (at most 2 s), after
     * anything else 250 ms; gives up with an AssertionError after {@code deadline}.
     */
    void postUntilAcked(ServerProcess server, String token, Batch batch, Duration timeout, Duration deadline) {
        long giveUp = System.currentTimeMillis() + deadline.toMillis()
        while (true) {
            def answer = post(server, token, batch, timeout)
            if (answer.status == 202) {
                return
            }
            if (answer.status in [400, 401, 403, 404, 413]) {
                throw new AssertionError("the server refused a batch: $answer")
            }
            if (System.currentTimeMillis() > giveUp) {
                throw new AssertionError("a batch was not acknowledged within $deadline; last answer: $answer")
            }
            long pause = answer.shedding ? Math.min(2_000L, retryAfterMillis(answer)) : 250L
            Thread.sleep(pause)
        }
    }

    /**
     * Sends one request of another HTTP door (OsmAnd, OwnTracks) and records what came back: an answer with status
     * {@code ackedStatus} marks the fixes {@code keys} acknowledged.
     */
    Answer send(HttpClient http, HttpRequest request, int ackedStatus, Collection<String> keys) {
        def answer = new Answer(startedAt: System.currentTimeMillis())
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString())
            answer.status = response.statusCode()
            answer.retryAfter = response.headers().firstValue("Retry-After").orElse(null)
            if (answer.status != ackedStatus) {
                answer.error = response.body()?.take(300)
            }
        } catch (HttpTimeoutException e) {
            answer.status = TIMED_OUT
            answer.error = e.message
        } catch (IOException e) {
            answer.status = NO_ANSWER
            answer.error = e.toString().take(200)
        }
        answer.endedAt = System.currentTimeMillis()
        record(answer, answer.status == ackedStatus ? keys : [])
        answer
    }

    /** Records an answer of another door (OwnTracks, GT06) and, when it acknowledged them, the fixes' keys. */
    void record(Answer answer, Collection<String> ackedKeys) {
        answers << answer
        if (ackedKeys) {
            acked.addAll(ackedKeys)
            ackedFixes.addAndGet(ackedKeys.size())
        }
    }

    /** How many fixes were acknowledged so far (a batch acked twice counts twice). */
    long getAckedFixes() { ackedFixes.get() }

    /** How many posts are waiting for their answer just now. */
    int getInFlight() { inFlight.get() }

    /** How many distinct fixes were acknowledged. */
    int getAckedDistinct() { acked.size() }

    /** The answers counted by what they were: "202", "503", "no answer", "timed out", ... */
    Map<String, Integer> tally() {
        answers.countBy { a -> a.status == NO_ANSWER ? 'no answer' : a.status == TIMED_OUT ? 'timed out' : String.valueOf(a.status) }
                .sort() as Map<String, Integer>
    }

    /** The acknowledged fixes that are not in {@code sighting}, as "subject@time". */
    List<String> missingFrom(ServerProcess server) {
        Set<String> stored = new HashSet<>()
        server.database().withCloseable { c ->
            def rs = c.createStatement().executeQuery("SELECT subject_id, time FROM sighting")
            while (rs.next()) {
                stored << key(rs.getLong(1), rs.getObject(2, OffsetDateTime).toInstant())
            }
        }
        acked.findAll { !stored.contains(it) }.sort()
    }

    /** Short, so that a failed condition does not print every fix. */
    @Override
    String toString() {
        "IngestLedger(${answers.size()} answers, ${acked.size()} fixes acknowledged)"
    }

    private static long retryAfterMillis(Answer answer) {
        answer.retryAfter?.trim()?.isLong() ? Math.max(100L, (answer.retryAfter.trim() as long) * 1000L) : 1_000L
    }

    static String key(long subjectId, Instant time) {
        "$subjectId@$time"
    }
}
