package org.geoward.process

import java.net.http.HttpRequest
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.Callable
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.Future
import java.util.concurrent.atomic.AtomicBoolean
import org.geoward.process.IngestLedger.Answer
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

/**
 * PostgreSQL killed ({@code pg_ctl stop -m immediate}) under a running server while three senders post to the JSON
 * API and a phone reports to the OsmAnd port, kept down for 8 s and started again. While it is down every sender must
 * hear 503 with Retry-After within {@link Outage#ANSWER_LIMIT} (never a 500, never a hang; the OsmAnd port answered 500
 * once); afterwards the same server process must accept fixes again at both doors without a restart, and no
 * acknowledged fix may be lost.
 */
class DatabaseRestartSpec extends Specification {
    static final String PASSWORD = "db-restart-pw"
    static final int SENDERS = 3
    static final long OUTAGE_MILLIS = 8_000

    @Shared
    @AutoCleanup
    ServerProcess server = new ServerProcess("geoward-db-restart")

    @Shared
    @AutoCleanup("shutdownNow")
    ExecutorService threads = Executors.newFixedThreadPool(SENDERS + 1)

    @Shared
    int osmandPort = ServerProcess.freePort()

    def "with PostgreSQL down senders hear 503 and Retry-After, and the same server recovers losing nothing acked"() {
        given: 'a server with three wards, each posted by a sender of its own, and a fourth with an OsmAnd phone'
        server.start([GEOWARD_ADMIN_PASSWORD: PASSWORD, GEOWARD_OSMAND_PORT: osmandPort as String])
        String token = server.token("admin", PASSWORD)
        List<Long> wards = (1..SENDERS + 1).collect {
            server.create("/api/subjects", [kind: "WARD", name: "ward $it", offlineMinutes: 100_000, consent: [by: "guardian", textVersion: "test"]], token).id as long
        }
        long phoneWard = wards.pop()
        Map phone = server.create("/api/devices", [uniqueId: "restart-phone-${UUID.randomUUID()}".toString(), protocol: "OSMAND",
                                                   subjectId: phoneWard], token)
        long serverPid = server.process.pid()
        Instant base = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
        def outage = new Outage(server, token, wards, base, Duration.ofSeconds(90), 100).start(threads)
        def reports = new IngestLedger()
        def stop = new AtomicBoolean()
        Future reporter = threads.submit({ report(reports, phone, phoneWard, stop) } as Callable)
        assert ServerProcess.waitFor(60) { outage.ledger.ackedFixes >= 5 * Outage.BATCH && reports.ackedFixes >= 5 }:
                "the senders got no 202 (the phone no 200) before the outage"

        when: 'PostgreSQL is killed, stays down for 8 s and is started again'
        int databasePort = server.databasePort()
        server.stopDatabaseImmediately()
        long downFrom = System.currentTimeMillis()
        Thread.sleep(OUTAGE_MILLIS)
        long downUntil = System.currentTimeMillis()
        server.startDatabase(databasePort)
        long upAt = System.currentTimeMillis()

        and: 'the senders go on until one of them is acknowledged again, and a few seconds more'
        boolean recovered = ServerProcess.waitFor(60) {
            outage.heard(202, upAt) && reports.answers.any { it.status == 200 && it.startedAt >= upAt }
        }
        long recoveredAfter = (outage.firstHeard(202, upAt) ?: 0) - upAt
        Thread.sleep(3_000)
        stop.set(true)
        List<String> senderFailures = outage.stop(120) + [Outage.outcome(reporter, 120)].findAll()
        List<Answer> duringOutage = outage.askedBetween(downFrom, downUntil)
        List<String> wrongDuringOutage = Outage.wrong(duringOutage, downUntil)
        List<String> serverErrors = outage.serverErrors()
        List<String> lost = outage.lost() + reports.missingFrom(server)
        List<Answer> reportsDuringOutage = reports.answers.toList().findAll { it.startedAt >= downFrom && it.startedAt < downUntil }
        List<String> wrongReports = Outage.wrong(reportsDuringOutage, downUntil, 200)
        List<String> reportErrors = Outage.serverErrors(reports)
        println "answers: ${outage.ledger.tally()}; asked while PostgreSQL was down: ${duringOutage.size()};" +
                " first 202 ${recoveredAfter} ms after the restart; OsmAnd answers: ${reports.tally()}," +
                " e.g. ${reportsDuringOutage.find { it.status == 503 }}"

        then: 'while it was down every sender was told 503 with Retry-After, quickly; no answer was ever a 500;' +
                ' the same server process accepts fixes again, without a restart; every acknowledged fix is stored'
        verifyAll {
            duringOutage.size() >= SENDERS
            wrongDuringOutage.take(10) == []
            serverErrors.take(10) == []
            reportsDuringOutage.size() >= 1
            wrongReports.take(10) == []
            reportErrors.take(10) == []
            recovered
            senderFailures == []
            server.alive
            server.process.pid() == serverPid
            lost.take(20) == []
        }
    }

    /**
     * Reports the phone's fixes to the OsmAnd port, one a request, 200 ms apart in event time, each until it is
     * answered 200 (after a 503 as Retry-After says, at most 2 s; else 250 ms), until told to stop.
     */
    private void report(IngestLedger reports, Map phone, long ward, AtomicBoolean stop) {
        Instant base = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
        for (int n = 0; n < 5_000 && !stop.get(); n++) {
            Instant time = base.plusMillis(200L * n)
            String query = "id=${phone.uniqueId}&lat=29.71&lon=${107.39 + n * 1e-6}&timestamp=${time.toEpochMilli()}" +
                    "&accuracy=5&token=${URLEncoder.encode(phone.token as String, 'UTF-8')}"
            long giveUp = System.currentTimeMillis() + 90_000
            while (true) {
                Answer answer = reportOnce(reports, query, IngestLedger.key(ward, time))
                if (answer.status == 200) {
                    break
                }
                assert !(answer.status in [400, 401, 403, 404]): "the OsmAnd port refused a report: $answer"
                assert System.currentTimeMillis() < giveUp: "a report was not taken within 90 s; last answer: $answer"
                Thread.sleep(answer.shedding && answer.retryAfter?.isLong() ? Math.min(2_000L, (answer.retryAfter as long) * 1000L) : 250L)
            }
            Thread.sleep(100)
        }
    }

    private Answer reportOnce(IngestLedger reports, String query, String key) {
        def request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:$osmandPort/?$query"))
                .timeout(Outage.CLIENT_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build()
        reports.send(server.http, request, 200, [key])
    }
}
