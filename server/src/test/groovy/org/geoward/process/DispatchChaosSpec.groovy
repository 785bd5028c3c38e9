package org.geoward.process

import com.sun.net.httpserver.HttpServer
import groovy.json.JsonSlurper
import java.nio.charset.StandardCharsets
import java.time.Duration
import java.util.concurrent.Callable
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

/**
 * PostgreSQL restarted twice under a running server while four dispatchers assign, officers accept and dispatchers
 * resolve alerts with RETURNED, and the outbox texts each ward's guardian through an SMS gateway outside the server
 * (an HTTP recorder, the only fake: it stands for the provider and records every call). Once by {@code pg_ctl stop
 * -m immediate}, once by {@code kill -9} of the postmaster, each down for 3 s. Afterwards: no officer ever held two
 * alerts at once and no alert was assigned twice; every answered request's step is on the alert's timeline; every
 * text the outbox holds reached the gateway, with one message id per text (a send whose commit was lost is repeated
 * with the same id, which the provider drops: counted and bounded); the server process never restarted.
 */
class DispatchChaosSpec extends Specification {
    static final String PASSWORD = "dispatch-chaos-pw"
    static final int DISPATCHERS = 4
    static final int OFFICERS = 6
    static final int ALERTS = 48
    static final Duration TIMEOUT = Duration.ofSeconds(10)
    /** The outbox's delivery threads ({@code geoward.notify.workers}, default 4): each holds one text at a time. */
    static final int DELIVERY_WORKERS = 4
    static final int RESTARTS = 2

    @Shared
    @AutoCleanup
    SmsRecorder sms = new SmsRecorder()

    @Shared
    @AutoCleanup
    ServerProcess server = new ServerProcess("geoward-dispatch-chaos")

    /** A step the server answered 2xx: the alert, the action, the officer. */
    static class Answered {
        long alert
        String action
        long officer

        String toString() { "$action alert $alert officer $officer" }
    }

    def "PostgreSQL restarted twice while dispatchers assign, accept and resolve: nothing doubled, lost or sent twice"() {
        given: 'a server texting through an outside gateway, six POLICE officers with their own accounts, 48 WANDER alerts'
        server.start([GEOWARD_ADMIN_PASSWORD: PASSWORD, GEOWARD_SMS_GATEWAY: "http", GEOWARD_SMS_HTTP_URL: sms.url()])
        String admin = server.token("admin", PASSWORD)
        long serverPid = server.process.pid()
        Map<Long, String> officerTokens = [:]
        List<Long> officers = (1..OFFICERS).collect { n ->
            long id = insert("""INSERT INTO subject (kind, name, unit, status, travel_mode)
                                VALUES ('OFFICER', ?, 'POLICE', 'AVAILABLE', 'WALK') RETURNING id""", "officer $n")
            insert("""INSERT INTO subject_position (subject_id, time, pos, source)
                      VALUES (?, now(), ST_SetSRID(ST_MakePoint(?, 29.70), 4326)::geography, 'GPS') RETURNING subject_id""",
                    id, 107.39 + n * 1e-3)
            server.create("/api/users", [username: "officer$n", password: "officer-pw-$n", role: "OFFICER", subjectId: id], admin)
            officerTokens[id] = server.token("officer$n", "officer-pw-$n")
            id
        }
        Map<Long, String> phones = [:]
        List<Long> alerts = (1..ALERTS).collect { n ->
            long ward = insert("INSERT INTO subject (kind, name, offline_minutes) VALUES ('WARD', ?, 100000) RETURNING id", "ward $n")
            String phone = "1390000" + String.format("%04d", n)
            long guardian = insert("INSERT INTO subject (kind, name, phone) VALUES ('GUARDIAN', ?, ?) RETURNING id", "guardian $n", phone)
            insert("INSERT INTO ward_guardian (ward_id, guardian_id) VALUES (?, ?) RETURNING ward_id", ward, guardian)
            long alert = insert("""
                WITH a AS (
                    INSERT INTO alert (type, subject_id, opened_at, pos, last_fix_at)
                    VALUES ('WANDER', ?, now(), ST_SetSRID(ST_MakePoint(107.39, 29.70), 4326)::geography, now()) RETURNING id
                ), e AS (
                    INSERT INTO alert_event (alert_id, actor, action, status, detail)
                    SELECT id, 'system', 'OPENED', 'OPEN', jsonb_build_object('type', 'WANDER') FROM a
                )
                SELECT id FROM a""", ward)
            phones[alert] = phone
            alert
        }
        def work = new ConcurrentLinkedQueue<Long>(alerts)
        def answered = new CopyOnWriteArrayList<Answered>()
        def errors = new CopyOnWriteArrayList<String>()
        def statuses = new ConcurrentLinkedQueue<Integer>()
        def stop = new AtomicBoolean()
        def pool = Executors.newFixedThreadPool(DISPATCHERS)

        when: 'four dispatchers work through the alerts while PostgreSQL is killed twice, 3 s each time'
        List futures = (1..DISPATCHERS).collect { d ->
            pool.submit({ dispatch(d, work, officers, officerTokens, admin, answered, errors, statuses, stop) } as Callable)
        }
        assert ServerProcess.waitFor(60) { answered.size() >= 10 }: "no dispatch step answered before the outage"
        int databasePort = server.databasePort()
        server.stopDatabaseImmediately()
        Thread.sleep(3_000)
        server.startDatabase(databasePort)
        assert ServerProcess.waitFor(60) { answered.size() >= 60 }: "no progress after the first restart: ${statuses.countBy { it }}"
        killPostmaster()
        Thread.sleep(3_000)
        server.startDatabase(databasePort)
        boolean finished = ServerProcess.waitFor(120) { work.isEmpty() && futures.every { it.done } }
        long workedUntil = System.currentTimeMillis()
        stop.set(true)
        pool.shutdown()
        pool.awaitTermination(30, TimeUnit.SECONDS)
        futures.findAll { it.done }.each { f -> try { f.get() } catch (e) { errors << "dispatcher: ${e.cause ?: e}".toString() } }
        boolean outboxEmpty = ServerProcess.waitFor(90) {
            count("SELECT count(*) FROM notification WHERE channel = 'SMS' AND status <> 'SENT' AND alert_id = ANY (?)", alerts) == 0
        }
        println "dispatchers done: $finished; outbox sent: $outboxEmpty after ${System.currentTimeMillis() - workedUntil} ms"
        Thread.sleep(1_000)

        List<List<Object>> events = server.rows("""SELECT alert_id, id, action, (detail->>'officerId')::bigint, actor
                                                   FROM alert_event WHERE alert_id = ANY (?) ORDER BY id""", array(alerts))
        Map<Long, List<List<Object>>> timeline = events.groupBy { it[0] as long }
        List<String> notOnce = alerts.findAll { a ->
            def actions = (timeline[a] ?: [])*.getAt(2)
            actions.count { it == 'ASSIGNED' } != 1 || actions.count { it == 'RESOLVED' } != 1 || actions.count { it == 'ACCEPTED' } > 1 ||
                    actions.any { it in ['REASSIGNED', 'UNASSIGNED'] }
        }.collect { "alert $it: ${(timeline[it] ?: [])*.getAt(2)}".toString() }
        List<String> overlapping = overlaps(timeline)
        List<String> missing = answered.findAll { step -> !(timeline[step.alert] ?: []).any { e ->
            e[2] == step.action && (step.action != 'ASSIGNED' || (e[3] as Long) == step.officer)
        } }*.toString()
        List<String> notAvailable = server.rows("SELECT id, status FROM subject WHERE id = ANY (?) AND status <> 'AVAILABLE'",
                array(officers)).collect { "officer ${it[0]} is ${it[1]}".toString() }
        List<List<Object>> texts = server.rows("""SELECT dedupe_key, recipient, alert_id, status FROM notification
                                                  WHERE channel = 'SMS' AND alert_id = ANY (?)""", array(alerts))
        Map<String, Integer> calls = sms.calls.countBy { it.id }
        List<String> notDelivered = texts.findAll { !calls.containsKey(it[0]) }.collect { "${it[0]} to ${it[1]} (${it[3]})".toString() }
        List<String> unknownCalls = calls.keySet().findAll { id -> !texts.any { it[0] == id } }.toList()
        Map<String, Integer> repeated = calls.findAll { it.value > 1 }
        // what the outbox recorded per text: a committed send is one SENT attempt; a send whose commit was lost left none
        Map<String, List<Long>> attempts = server.rows("""SELECT n.dedupe_key, count(*) FILTER (WHERE a.result = 'SENT'),
                                                                  count(*) FILTER (WHERE a.result <> 'SENT')
                                                           FROM notification n JOIN notification_attempt a ON a.notification_id = n.id
                                                           WHERE n.channel = 'SMS' AND n.alert_id = ANY (?) GROUP BY 1""", array(alerts))
                .collectEntries { [(it[0]): [it[1] as long, it[2] as long]] }
        List<String> notOnceSent = texts.collect { it[0] as String }.findAll { attempts[it] != [1L, 0L] }
                .collect { "$it: ${attempts[it]} (SENT, failed) attempts".toString() }
        Map<String, Integer> perPhoneAndStep = texts.countBy { "${it[1]} ${it[0].toString().replaceAll(/:[^:]*$/, '')}".toString() }
        println "answers: ${statuses.countBy { it }}; steps answered: ${answered.size()}; texts: ${texts.size()}," +
                " gateway calls: ${sms.calls.size()}, ids repeated (a lost commit, same id): $repeated"

        then: 'the same server process did all the work, every alert once through assign, accept and resolve'
        verifyAll {
            finished
            errors.take(10) == []
            server.alive
            server.process.pid() == serverPid
            notOnce.take(10) == []
            overlapping.take(10) == []
            missing.take(10) == []
            notAvailable == []
        }

        and: 'each alert texted its guardian (at least the return): every text reached the gateway under its own id,' +
                ' none unknown; each was recorded sent once and never failed, so a repeat is only a send whose commit was' +
                ' lost: each worker holds one text at a time, so at most one per worker and restart, and a text at most' +
                ' once more per restart'
        verifyAll {
            outboxEmpty
            texts.size() >= ALERTS
            texts.collect { it[2] as long }.toSet() == alerts.toSet()
            texts.collect { it[1] }.toSet() == phones.values().toSet()
            notDelivered.take(10) == []
            unknownCalls.take(10) == []
            notOnceSent.take(10) == []
            repeated.findAll { it.value > 1 + RESTARTS } == [:]
            repeated.values().sum(0) - repeated.size() <= DELIVERY_WORKERS * RESTARTS
        }
    }

    /** One dispatcher: takes alerts off the queue and sees each through assign, accept (as the officer) and resolve. */
    private void dispatch(int d, Queue<Long> work, List<Long> officers, Map<Long, String> officerTokens, String admin,
                          List<Answered> answered, List<String> errors, Queue<Integer> statuses, AtomicBoolean stop) {
        def random = new Random(d)
        Long alert
        while (!stop.get() && (alert = work.poll()) != null) {
            long officer = assign(alert, officers, random, admin, answered, statuses, stop)
            if (officer < 0) {
                return
            }
            step(alert, "accept", officerTokens[officer], null, "ACCEPTED", officer, answered, statuses, stop)
            step(alert, "resolve", admin, '{"outcome":"RETURNED"}', "RESOLVED", officer, answered, statuses, stop)
        }
    }

    /** Assigns a random officer until one is free; after an unanswered try, reads the alert to see if it took. */
    private long assign(long alert, List<Long> officers, Random random, String admin, List<Answered> answered,
                        Queue<Integer> statuses, AtomicBoolean stop) {
        while (!stop.get()) {
            long officer = officers[random.nextInt(officers.size())]
            int status = call("POST", "/api/alerts/$alert/assign", """{"officerId":"$officer"}""", admin)
            statuses << status
            if (status == 200) {
                answered << new Answered(alert: alert, action: "ASSIGNED", officer: officer)
                return officer
            }
            Long assigned = status == 409 || status < 0 || status >= 500 ? assignedOfficer(alert, admin) : null
            if (assigned != null) {
                return assigned  // an earlier try took effect, its answer was lost
            }
            Thread.sleep(status == 409 ? 20 : 300)
        }
        -1
    }

    /** Posts one step until it is answered: 200, or 409 when an earlier unanswered try already did it. */
    private void step(long alert, String path, String token, String body, String action, long officer,
                      List<Answered> answered, Queue<Integer> statuses, AtomicBoolean stop) {
        boolean tried = false
        while (!stop.get()) {
            int status = call("POST", "/api/alerts/$alert/$path", body, token)
            statuses << status
            if (status == 200) {
                answered << new Answered(alert: alert, action: action, officer: officer)
                return
            }
            if (status == 409 && tried) {
                return
            }
            if (status == 409 || (status >= 400 && status < 500)) {
                throw new AssertionError("$path alert $alert as ${token == null ? 'nobody' : 'its caller'}: $status")
            }
            tried = true
            Thread.sleep(300)
        }
    }

    private Long assignedOfficer(long alert, String admin) {
        try {
            def response = server.send("GET", "/api/alerts/$alert", null, admin, TIMEOUT)
            if (response.statusCode() != 200) {
                return null
            }
            def props = new JsonSlurper().parseText(response.body()).properties
            props.status == 'DISPATCHED' && props.assignedOfficerId != null ? props.assignedOfficerId as long : null
        } catch (IOException ignored) {
            null
        }
    }

    /** The status of one request, -1 when no answer came within {@link #TIMEOUT}. */
    private int call(String method, String path, String json, String token) {
        try {
            server.send(method, path, json ?: "{}", token, TIMEOUT).statusCode()
        } catch (IOException ignored) {
            -1
        }
    }

    /** Officers whose next assignment came before the previous alert was resolved (by timeline order). */
    private static List<String> overlaps(Map<Long, List<List<Object>>> timeline) {
        Map<Long, List<List<Long>>> held = [:].withDefault { [] }
        timeline.each { alert, steps ->
            def assigned = steps.find { it[2] == 'ASSIGNED' }
            def resolved = steps.find { it[2] == 'RESOLVED' }
            if (assigned && assigned[3] != null) {
                held[assigned[3] as long] << [assigned[1] as long, resolved ? resolved[1] as long : Long.MAX_VALUE, alert]
            }
        }
        List<String> found = []
        held.each { officer, spans ->
            spans.sort { it[0] }
            for (int i = 1; i < spans.size(); i++) {
                if (spans[i][0] < spans[i - 1][1]) {
                    found << "officer $officer: alert ${spans[i][2]} assigned before alert ${spans[i - 1][2]} was resolved".toString()
                }
            }
        }
        found
    }

    /** Kills the postmaster with SIGKILL (its backends end when they notice), as a crash or the OOM killer would. */
    private void killPostmaster() {
        long pid = server.pgData.resolve("postmaster.pid").toFile().readLines()[0].trim() as long
        assert new ProcessBuilder("kill", "-9", pid as String).start().waitFor() == 0
        ServerProcess.waitFor(30) { !ProcessHandle.of(pid).map { it.alive }.orElse(false) }
        // the backends notice the postmaster's death and exit; the port must be free before the restart
        Thread.sleep(1_000)
    }

    private long insert(String sql, Object... params) {
        server.rows(sql, params.collect { it instanceof GString ? it.toString() : it } as Object[])[0][0] as long
    }

    private long count(String sql, List<Long> ids) {
        try {
            server.rows(sql, array(ids))[0][0] as long
        } catch (Exception ignored) {
            -1
        }
    }

    /** The ids as the one parameter of a query (a bigint array), not spread over several. */
    private static Object[] array(List<Long> ids) {
        [ids as Long[]] as Object[]
    }

    /** The SMS provider: answers 200 to every POST and records its JSON body (phone, text, id). */
    static class SmsRecorder implements Closeable {
        final HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
        final List<Map> calls = new CopyOnWriteArrayList<>()

        SmsRecorder() {
            http.createContext("/sms") { exchange ->
                try {
                    String body = new String(exchange.requestBody.readAllBytes(), StandardCharsets.UTF_8)
                    def id = (body.replace('\\"', '"') =~ /"id"\s*:\s*"([^"]+)"/)
                    calls << [id: id.find() ? id.group(1) : null, body: body]
                    exchange.sendResponseHeaders(200, -1)
                } finally {
                    exchange.close()
                }
            }
            http.executor = Executors.newFixedThreadPool(4)
            http.start()
        }

        String url() { "http://127.0.0.1:${http.address.port}/sms".toString() }

        void close() { http.stop(0) }
    }
}
