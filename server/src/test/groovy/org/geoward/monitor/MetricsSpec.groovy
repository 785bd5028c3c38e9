package org.geoward.monitor

import io.micronaut.context.annotation.Property
import io.micronaut.data.jdbc.runtime.JdbcOperations
import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import java.sql.Connection
import org.geoward.alert.Scene
import org.geoward.alert.SseClient
import org.geoward.fence.FenceCatalog
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Shared
import spock.lang.Specification
import spock.util.concurrent.PollingConditions

import static org.geoward.alert.Scene.LAT
import static org.geoward.alert.Scene.LON

/**
 * {@code GET /metrics} in the Prometheus text format: who may read it, and that the meters move when fixes arrive
 * and alerts change. Each feature reads the counters before and after its own stimulus and compares the difference,
 * so what other specs did in this JVM does not matter.
 */
@MicronautTest(transactional = false)
@Property(name = "geoward.metrics.token", value = MetricsSpec.SCRAPE_TOKEN)
@Property(name = "geoward.metrics.poll", value = "200ms")
class MetricsSpec extends Specification {
    static final String SCRAPE_TOKEN = "metrics-spec-scrape-token-42"

    @Inject @Client("/") HttpClient http
    @Inject EmbeddedServer server
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject JdbcOperations jdbc
    @Inject TransactionOperations<Connection> tx
    @Inject FenceCatalog catalog
    @Inject org.geoward.device.DeviceListeners listeners

    @Shared Map<Role, String> tokens = [:]
    Scene scene
    PollingConditions eventually = new PollingConditions(timeout: 30, delay: 0.2)

    def setup() {
        scene = new Scene(http, jdbc, tx, catalog)
        [Role.ADMIN, Role.DISPATCHER].each { role ->
            if (!tokens[role]) {
                tokens[role] = Accounts.token(http, users, hasher, role)
            }
        }
    }

    def "metrics are read with #who: #expected"() {
        when:
        String header = role ? "Bearer ${tokens[role]}" : bearer
        int status = status(header)

        then:
        status == expected

        where:
        who                      | role            | bearer                        || expected
        'no token'               | null            | null                          || 401
        'a wrong scrape token'   | null            | 'Bearer not-the-scrape-token' || 401
        'a dispatcher\'s token'  | Role.DISPATCHER | null                          || 403
        'an admin\'s token'      | Role.ADMIN      | null                          || 200
        'the scrape token'       | null            | "Bearer $SCRAPE_TOKEN"        || 200
    }

    def "the answer is Prometheus text with JVM, pool, HTTP and Geoward meters"() {
        when:
        def response = http.toBlocking().exchange(HttpRequest.GET("/metrics").bearerAuth(SCRAPE_TOKEN), String)
        String body = response.body()

        then:
        response.contentType.get().toString().startsWith("text/plain")
        body.contains("# TYPE geoward_fixes_total counter")
        ['jvm_memory_used_bytes', 'jvm_threads_live_threads', 'process_cpu_usage', 'hikaricp_connections_active',
         'geoward_log_queued_fixes', 'geoward_evaluation_behind_fixes', 'geoward_evaluation_lag_seconds',
         'geoward_evaluation_partition_queue{', 'geoward_alerts_open{', 'geoward_outbox_pending{'].each {
            assert body.contains(it): "$it is missing from /metrics"
        }
    }

    def "fixes received, stored, duplicate and rejected are counted per source, and group commits with them"() {
        given:
        long ward = scene.subject('WARD')
        def before = scrape()
        def batch = [scene.fix(ward, 0, LON, LAT), scene.fix(ward, 1, LON, LAT), scene.fix(ward, 2, LON, 95),
                     [trackId: "cam/${UUID.randomUUID()}".toString(), time: scene.at(3), lon: LON, lat: LAT,
                      source: 'CAMERA']]

        when: 'a batch with two new GPS fixes, one invalid and one camera sighting, then the first fix again'
        assert scene.post(tokens[Role.DISPATCHER], batch).status.code == 202
        assert scene.post(tokens[Role.DISPATCHER], [scene.fix(ward, 0, LON, LAT)]).status.code == 202
        def after = scrape()

        then:
        delta(before, after, 'geoward_fixes_total{outcome="received",source="GPS"}') == 4
        delta(before, after, 'geoward_fixes_total{outcome="stored",source="GPS"}') == 2
        delta(before, after, 'geoward_fixes_total{outcome="rejected",source="GPS"}') == 1
        delta(before, after, 'geoward_fixes_total{outcome="duplicate",source="GPS"}') == 1
        delta(before, after, 'geoward_fixes_total{outcome="received",source="CAMERA"}') == 1
        delta(before, after, 'geoward_fixes_total{outcome="stored",source="CAMERA"}') == 1
        delta(before, after, 'geoward_log_group_fixes_count') >= 1
        delta(before, after, 'geoward_log_group_fixes_sum') >= 3
    }

    def "an SOS shows as raised and open, and its acknowledgement in the acknowledge histogram"() {
        given:
        long ward = scene.subject('WARD')
        def before = scrape()

        when: 'the ward presses SOS'
        assert scene.post(tokens[Role.DISPATCHER], [scene.fix(ward, 0, LON, LAT, [sos: true])]).status.code == 202

        then:
        eventually.eventually {
            def now = scrape()
            assert delta(before, now, 'geoward_alerts_raised_total{type="SOS"}') == 1
            assert value(now, 'geoward_alerts_open{type="SOS"}') >= 1
        }

        when: 'a dispatcher acknowledges it'
        def ackBefore = scrape()
        def alertId = scene.alerts(tokens[Role.DISPATCHER], ward).find { it.properties.type == 'SOS' }.properties.id
        http.toBlocking().exchange(HttpRequest.POST("/api/alerts/$alertId/ack", "").bearerAuth(tokens[Role.DISPATCHER]))

        then:
        eventually.eventually {
            assert delta(ackBefore, scrape(), 'geoward_alert_acknowledge_seconds_count{type="SOS"}') == 1
        }
    }

    def "SSE clients are counted while they follow the stream"() {
        given:
        double before = value(scrape(), 'geoward_sse_clients') ?: 0

        when:
        def sse = new SseClient(URI.create("http://127.0.0.1:${server.port}/api/alerts/stream"),
                [Authorization: "Bearer ${tokens[Role.DISPATCHER]}".toString()])

        then:
        eventually.eventually { assert value(scrape(), 'geoward_sse_clients') == before + 1 }

        cleanup:
        sse?.close()
    }

    def "GT06 trackers connected to the TCP listener are counted"() {
        given:
        double before = value(scrape(), 'geoward_device_connections{protocol="GT06"}')

        when:
        def tracker = new Socket("127.0.0.1", listeners.gt06Address().orElseThrow().port)

        then:
        eventually.eventually { assert value(scrape(), 'geoward_device_connections{protocol="GT06"}') == before + 1 }

        when:
        tracker.close()

        then:
        eventually.eventually { assert value(scrape(), 'geoward_device_connections{protocol="GT06"}') == before }
    }

    def "liveness and readiness are public and UP on a running server"() {
        expect:
        http.toBlocking().exchange(HttpRequest.GET(path), Map).body().status == 'UP'

        where:
        path << ['/live', '/ready']
    }

    def "every series the shipped Grafana dashboard queries is served"() {
        given: 'the metric names in the dashboard\'s queries, less those that appear only once their event happened'
        def dashboard = new groovy.json.JsonSlurper().parse(
                java.nio.file.Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("grafana/geoward.json").toFile())
        Set<String> queried = dashboard.panels*.targets.flatten().findAll().collectMany { target ->
            (target.expr =~ /\b(geoward|hikaricp|jvm|process)_[a-z_]+/).collect { it[0] }
        } as Set
        Set<String> onDemand = ['geoward_mqtt_connected', 'geoward_notification_attempts_total',
                                'geoward_alert_acknowledge_seconds_bucket', 'geoward_alert_arrive_seconds_bucket',
                                'geoward_alert_resolve_seconds_bucket', 'jvm_gc_pause_seconds_sum',
                                // cluster mode only: ClusterOperationsSpec checks them on cluster nodes
                                'geoward_kafka_consumer_lag_records', 'geoward_kafka_partition_owned'] as Set

        when:
        Set<String> served = scrape().keySet().collect { it.replaceAll(/\{.*/, '') } as Set

        then:
        queried.size() > 15
        (queried - onDemand - served).isEmpty()
    }

    def "the guide's metric table and /metrics agree: every family served is listed, and every one listed is served"() {
        given: 'the names in the metric column of docs/operations.md (a trailing * is a prefix)'
        String guide = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("user.dir"))
                .resolveSibling("docs").resolve("operations.md"))
        List<String> table = guide.substring(guide.indexOf("| metric | what |")).readLines().takeWhile { it.startsWith("|") }
        List<String> names = table.drop(2).collectMany { row -> (row.split(/\|/)[1] =~ /`([a-z_]+\*?)(\{[^}]*})?`/).collect { it[1] } }
        Set<String> listed = names.findAll { !it.endsWith("*") } as Set
        List<String> prefixes = names.findAll { it.endsWith("*") }*.replace("*", "")
        Set<String> onDemand = ['geoward_mqtt_connected', 'geoward_mqtt_messages_total', // with GEOWARD_MQTT_URL only
                                'geoward_notification_attempts_total', 'geoward_alert_acknowledge_seconds',
                                'geoward_alert_arrive_seconds', 'geoward_alert_resolve_seconds', // after their first event
                                'geoward_kafka_consumer_lag_records', 'geoward_kafka_partition_owned'] as Set // cluster mode

        when: 'the metric families /metrics declares (a timer\'s or histogram\'s _max gauge counted with it)'
        Set<String> declared = http.toBlocking().retrieve(HttpRequest.GET("/metrics").bearerAuth(SCRAPE_TOKEN))
                .readLines().findAll { it.startsWith("# TYPE ") }.collect { it.split(" ")[2] } as Set
        Set<String> families = declared.collect { it.endsWith("_max") && it[0..-5] in declared ? it[0..-5] : it } as Set
        // this spec's own Micronaut HTTP client lives in the server's context; Geoward's webhooks use java.net.http
        families.remove("http_client_requests_seconds")

        then:
        listed.size() > 20
        families.findAll { f -> !(f in listed) && !prefixes.any { f.startsWith(it) } }.sort() == []
        (listed - onDemand - families).sort() == []
        prefixes.every { p -> families.any { it.startsWith(p) } }

        and: 'every metric the guide\'s alert rules ask for is listed too'
        Set<String> ruled = guide.readLines().findAll { it.trim().startsWith("expr:") }.collectMany { line ->
            (line =~ /\b(?:geoward|hikaricp)_[a-z_]+/).collect { (it as String).replaceAll(/_bucket$/, "") }
        } as Set
        ruled.size() > 8
        (ruled - listed).findAll { n -> !prefixes.any { n.startsWith(it) } }.sort() == []
    }

    // helpers ---------------------------------------------------------------------------------------------------------

    int status(String header) {
        def request = HttpRequest.GET("/metrics")
        if (header) {
            request.header("Authorization", header)
        }
        try {
            http.toBlocking().exchange(request, String).status.code
        } catch (HttpClientResponseException e) {
            e.status.code
        }
    }

    /** Every sample of the Prometheus text, by name with its labels as printed. */
    Map<String, Double> scrape() {
        String body = http.toBlocking().retrieve(HttpRequest.GET("/metrics").bearerAuth(SCRAPE_TOKEN))
        body.readLines().findAll { it && !it.startsWith('#') }.collectEntries {
            int space = it.lastIndexOf(' ')
            [(it.substring(0, space)): it.substring(space + 1) as double]
        }
    }

    static Double value(Map<String, Double> samples, String name) {
        samples[name]
    }

    static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        (after[name] ?: 0d) - (before[name] ?: 0d)
    }
}
