package org.geoward.device.owntracks

import org.geoward.device.Mosquitto

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import org.geoward.process.ServerProcess
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

/**
 * OwnTracks over MQTT end to end: phones publish to a real mosquitto (passwords, per-user ACL, persistence), Geoward
 * runs as a separate process subscribed to {@code owntracks/+/+} with a persistent QoS 1 session, and what the
 * phones sent must reach the wards' tracks through the server being killed, the broker being restarted and
 * PostgreSQL being stopped: nothing the broker acknowledged to a phone may be lost.
 */
class OwnTracksMqttSpec extends Specification {
    static final String ADMIN_PASSWORD = "mqtt-spec-admin-pw"
    static final String METRICS_TOKEN = "mqtt-spec-scrape-token-0123456789"
    static final Map<String, String> PHONES = [alice: "alice-pw", bob: "bob-pw", carol: "carol-pw",
                                              dave: "dave-pw", erin: "erin-pw", frank: "frank-pw", stranger: "stranger-pw"]
    /** Locations of the overload feature: published as fast as the broker acknowledges them. */
    static final int BURST = 20_000

    @Shared
    @AutoCleanup
    Mosquitto broker = new Mosquitto([geoward: "geoward-broker-pw"] + PHONES)

    @Shared
    @AutoCleanup
    ServerProcess server = new ServerProcess("geoward-mqtt")

    @Shared
    String token

    @Shared
    Map<String, String> env

    def setupSpec() {
        broker.start()
        env = [GEOWARD_ADMIN_PASSWORD: ADMIN_PASSWORD, GEOWARD_MQTT_URL: broker.url, GEOWARD_MQTT_USER: "geoward",
               GEOWARD_MQTT_PASSWORD : "geoward-broker-pw", GEOWARD_MQTT_CLIENT_ID: "geoward-spec-${UUID.randomUUID()}".toString(),
               GEOWARD_METRICS_TOKEN : METRICS_TOKEN]
        server.start(env)
        token = server.token("admin", ADMIN_PASSWORD)
        assert ServerProcess.waitFor(60) { metric("geoward_mqtt_connected") == 1d }: server.logTail(40)
    }

    def "a phone's locations and transitions become its ward's fixes; waypoints, strangers and other users' topics do not"() {
        given: 'alice\'s phone registered for a ward, bob registered too'
        long alice = wardWithPhone("alice")
        long bob = wardWithPhone("bob")
        Instant t0 = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS)

        when: 'alice publishes a location, a waypoint, a transition; bob\'s credentials post under alice\'s topic'
        broker.publish("alice", "owntracks/alice/phone", location(t0, 29.70, 107.39))
        broker.publish("alice", "owntracks/alice/phone",
                JsonOutput.toJson([_type: "waypoint", desc: "Home", lat: 29.7, lon: 107.39, rad: 50, tst: t0.epochSecond]))
        broker.publish("alice", "owntracks/alice/phone", JsonOutput.toJson([_type: "transition", event: "leave",
                desc: "Home", lat: 29.701, lon: 107.391, tst: t0.epochSecond + 60, tid: "al", t: "c"]))
        broker.publish("bob", "owntracks/alice/phone", location(t0.plusSeconds(120), 10, 10))
        broker.publish("stranger", "owntracks/stranger/phone", location(t0, 29.7, 107.4))

        then: 'alice\'s ward has the location and the transition, at their own times, and nothing from bob'
        ServerProcess.waitFor(30) { track(alice).size() == 2 }
        track(alice)*.time == [t0, t0.plusSeconds(60)]*.toString()
        track(bob).isEmpty()

        and: 'the stranger is listed for an admin to claim'
        ServerProcess.waitFor(30) {
            get("/api/devices/unknown").any { it.uniqueId == "stranger" && it.protocol == "OWNTRACKS" }
        }
    }

    def "fixes published while Geoward is down (killed) are delivered once it is back"() {
        given:
        long carol = wardWithPhone("carol")
        Instant t0 = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.SECONDS)
        broker.publish("carol", "owntracks/carol/phone", location(t0, 29.7, 107.39))
        assert ServerProcess.waitFor(30) { track(carol).size() == 1 }

        when: 'the server is killed (SIGKILL) and carol\'s phone goes on publishing; the broker acknowledges each'
        server.kill()
        (1..20).each { broker.publish("carol", "owntracks/carol/phone", location(t0.plusSeconds(it * 10), 29.7, 107.39 + it * 1e-4)) }

        and: 'the server starts again'
        server.start(env)
        token = server.token("admin", ADMIN_PASSWORD)

        then: 'all 21 fixes are in the track'
        ServerProcess.waitFor(60) { track(carol).size() == 21 }
    }

    def "after a broker restart and a database outage Geoward reconnects and loses nothing"() {
        given:
        long dave = wardWithPhone("dave")
        Instant t0 = Instant.now().minusSeconds(7200).truncatedTo(ChronoUnit.SECONDS)

        when: 'the broker restarts'
        broker.stop()
        assert ServerProcess.waitFor(30) { metric("geoward_mqtt_connected") == 0d }
        broker.start()

        then: 'Geoward is connected again within its backoff'
        ServerProcess.waitFor(60) { metric("geoward_mqtt_connected") == 1d }

        when: 'dave publishes while PostgreSQL is down, then it comes back'
        int dbPort = server.databasePort()
        server.stopDatabaseImmediately()
        (0..9).each { broker.publish("dave", "owntracks/dave/phone", location(t0.plusSeconds(it * 10), 29.71, 107.4)) }

        then: 'meanwhile the server says it is not ready, naming the database, but alive'
        ServerProcess.waitFor(30) { probe("/ready")?.waitingFor?.any { it.startsWith("database") } }
        probe("/live").status == "UP"

        when:
        server.startDatabase(dbPort)

        then: 'every one of them is stored, and the server is ready again'
        ServerProcess.waitFor(90) { track(dave).size() == 10 }
        ServerProcess.waitFor(30) { probe("/ready")?.status == "UP" }
    }

    def "messages Geoward received but could not store yet survive its crash: they were never acknowledged"() {
        given:
        long erin = wardWithPhone("erin")
        Instant t0 = Instant.now().minusSeconds(10_800).truncatedTo(ChronoUnit.SECONDS)
        int dbPort = server.databasePort()

        when: 'PostgreSQL stops, erin publishes five fixes and Geoward receives them (it retries, unable to store)'
        double received = metric('geoward_mqtt_messages_total{outcome="received"}')
        server.stopDatabaseImmediately()
        (0..4).each { broker.publish("erin", "owntracks/erin/phone", location(t0.plusSeconds(it * 10), 29.72, 107.4)) }
        assert ServerProcess.waitFor(30) { metric('geoward_mqtt_messages_total{outcome="received"}') >= received + 1 }

        and: 'Geoward is killed while it holds them; then PostgreSQL and Geoward start again'
        server.kill()
        server.startDatabase(dbPort)
        server.start(env)
        token = server.token("admin", ADMIN_PASSWORD)

        then: 'the broker delivers them again and all five are stored'
        ServerProcess.waitFor(90) { track(erin).size() == 5 }
    }

    def "a burst of locations as fast as the broker takes them is all stored, once; the server answers meanwhile"() {
        given:
        long frank = wardWithPhone("frank")
        Instant t0 = Instant.now().minus(20, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
        List<String> burst = (0..<BURST).collect { location(t0.plusSeconds(it), 29.70, 107.39 + (it % 1000) * 1e-5) }

        when: "frank's phone publishes $BURST locations, each as soon as the broker acknowledged the one before"
        long start = System.currentTimeMillis()
        broker.publishAll("frank", "owntracks/frank/phone", burst)
        long published = System.currentTimeMillis() - start
        long storedWhenPublished = stored(frank)

        and: 'the server is asked for its liveness and the alerts while it works through them'
        List<Long> readMillis = []
        List<String> live = []
        boolean all = ServerProcess.waitFor(180) {
            long asked = System.currentTimeMillis()
            def response = server.send("GET", "/api/alerts", null, token, Duration.ofSeconds(10))
            readMillis << System.currentTimeMillis() - asked
            live << (probe("/live")?.status as String)
            stored(frank) == BURST
        }
        long storedAfter = System.currentTimeMillis() - start
        println "MQTT burst: $BURST published in $published ms (${BURST * 1000L / Math.max(1, published)}/s), " +
                "$storedWhenPublished stored by then, all stored after $storedAfter ms; reads (ms): ${readMillis.sort().takeRight(3)}"

        then: 'every location the broker acknowledged is stored, once'
        all
        server.rows("SELECT count(DISTINCT time) FROM sighting WHERE subject_id = ?", frank)[0][0] == BURST

        and: 'the server stayed alive and answered reads within a few seconds'
        live.every { it == "UP" }
        readMillis.max() < 5_000
    }

    /** How many fixes of {@code subjectId} are stored. */
    long stored(long subjectId) {
        server.rows("SELECT count(*) FROM sighting WHERE subject_id = ?", subjectId)[0][0] as long
    }

    // helpers ---------------------------------------------------------------------------------------------------------

    static String location(Instant time, double lat, double lon) {
        // no tid: over MQTT the topic says who it is
        JsonOutput.toJson([_type: "location", lat: lat, lon: lon, tst: time.epochSecond, acc: 10, batt: 80])
    }

    long wardWithPhone(String user) {
        long ward = server.create("/api/subjects", [kind: "WARD", name: "ward of $user", offlineMinutes: 100_000,
                                                consent: [by: "guardian", textVersion: "test"]], token).id as long
        server.create("/api/devices", [uniqueId: user, protocol: "OWNTRACKS", subjectId: ward], token)
        ward
    }

    /** The ward's fixes; empty while the server answers 503 (its database just came back). */
    List<Map> track(long subjectId) {
        def from = Instant.now().minus(Duration.ofDays(1))
        def to = Instant.now().plusSeconds(600)
        def response = server.send("GET", "/api/subjects/$subjectId/track?from=$from&to=$to", null, token,
                Duration.ofSeconds(10))
        if (response.statusCode() == 503) {
            return []
        }
        assert response.statusCode() == 200: response.body()
        (new JsonSlurper().parseText(response.body()).features ?: []).collect { it.properties as Map }
    }

    def get(String path) {
        def response = server.send("GET", path, null, token, Duration.ofSeconds(10))
        assert response.statusCode() == 200: "GET $path: ${response.statusCode()} ${response.body()}"
        new JsonSlurper().parseText(response.body())
    }

    /** A probe's answer (200 or 503 alike), or null when nothing answers. */
    Map probe(String path) {
        try {
            new JsonSlurper().parseText(server.send("GET", path, null, null, Duration.ofSeconds(10)).body()) as Map
        } catch (IOException ignored) {
            null
        }
    }

    /** One sample's value from /metrics read with the scrape token, or null. */
    Double metric(String name) {
        try {
            def body = server.send("GET", "/metrics", null, METRICS_TOKEN, Duration.ofSeconds(10)).body()
            def line = body.readLines().find { it.startsWith(name + " ") || it.startsWith(name + "{") }
            line == null ? null : line.substring(line.lastIndexOf(' ') + 1) as double
        } catch (IOException ignored) {
            null
        }
    }

    def cleanupSpec() {
        println broker.log().readLines().takeRight(20).join("\n")
    }
}
