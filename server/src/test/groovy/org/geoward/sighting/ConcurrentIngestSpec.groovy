package org.geoward.sighting

import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.alert.AlertSpecBase

import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.function.Supplier

/**
 * Senders that retry at the same time: concurrent batches carrying the same fixes in different orders are stored and
 * evaluated once each, without a deadlock (one batch waits for the other on the unique index, in the same order).
 */
@MicronautTest(transactional = false)
class ConcurrentIngestSpec extends AlertSpecBase {

    @Inject EmbeddedServer server
    @Inject org.geoward.partition.PartitionedEvaluation evaluation

    def "four senders posting the same 400 fixes, each in its own order, at once: every fix stored once, every 202, no deadlock"() {
        given: '40 wards, 10 fixes each a minute apart, wandering inside a SAFE circle'
        List<Long> wards = (1..40).collect { scene.subject('WARD') }
        scene.circle('SAFE', LON, LAT, 2_000, wards)
        def random = new Random(7)
        List<Map> fixes = []
        wards.each { long w ->
            (0..<10).each { int m -> fixes << scene.fix(w, m, LON + random.nextGaussian() * 0.001, LAT + random.nextGaussian() * 0.001) }
        }
        def client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
        def start = new CountDownLatch(1)
        def pool = Executors.newFixedThreadPool(4)

        when: 'four senders each post all 400 in two batches, shuffled differently, released together'
        List<CompletableFuture<List<Map>>> futures = (0..<4).collect { int s ->
            List<Map> mine = new ArrayList<>(fixes)
            Collections.shuffle(mine, new Random(s))
            def bodies = [mine.subList(0, 200), mine.subList(200, 400)].collect { groovy.json.JsonOutput.toJson(it) }
            CompletableFuture.supplyAsync({ ->
                start.await()
                bodies.collect { String body ->
                    def response = client.send(HttpRequest.newBuilder(URI.create("${server.URL}/api/sightings"))
                            .header('Content-Type', 'application/json').header('Authorization', "Bearer $token")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                    [status: response.statusCode(), body: new groovy.json.JsonSlurper().parseText(response.body())]
                }
            } as Supplier<List<Map>>, pool)
        }
        start.countDown()
        List<Map> replies = futures.collectMany { it.get() }
        pool.shutdown()

        then: 'every batch was acknowledged; together they accepted each fix exactly once and named the rest duplicates'
        replies.size() == 8
        replies*.status.every { it == 202 }
        replies.sum { it.body.accepted } == 400
        replies.sum { it.body.duplicates } == 3 * 400
        scene.first('SELECT count(*) FROM sighting WHERE subject_id = ANY(?::bigint[])', "{${wards.join(',')}}".toString()) == 400

        and: 'every ward was evaluated up to its last fix, and none left its zone'
        evaluation.checkpointNow()
        scene.first('SELECT count(*) FROM subject_state WHERE subject_id = ANY(?::bigint[]) AND last_fix_at = ?::timestamptz',
                "{${wards.join(',')}}".toString(), scene.at(9)) == 40
        wards.every { alerts(it).isEmpty() }
    }
}
