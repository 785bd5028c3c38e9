package org.geoward.partition

import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.alert.AlertSpecBase
import org.geoward.lease.ClusterLease
import org.geoward.evaluate.AlertType
import org.geoward.evaluate.SubjectState
import spock.util.concurrent.PollingConditions

import java.time.Duration
import java.time.Instant

/**
 * The checkpoints' store read as a node that adopts one Kafka partition reads it: the database picks that partition's
 * subjects by the same rule the producer places fixes by, and the states an existing install wrote still load.
 */
@MicronautTest(transactional = false)
class CheckpointsSpec extends AlertSpecBase {

    /** A state as the checkpoints of Geoward before Jackson wrote it (the hand-written StateJson, format v1). */
    static final String V1_STATE = '{"v":1,"lastFixTime":"2026-11-22T08:00:00Z","lastLon":107.382,"lastLat":29.706,' +
            '"lastAccuracy":5.0,"fences":{"3":{"side":"INSIDE","since":"2026-11-22T07:30:00Z",' +
            '"episodeStart":"2026-11-22T07:30:00Z","lastInside":"2026-11-22T08:00:00Z","loiterRaised":true,' +
            '"wanderPending":false},"1":{"side":"OUTSIDE","since":"2026-11-22T07:00:00Z","episodeStart":null,' +
            '"lastInside":null,"loiterRaised":false,"wanderPending":true}},"open":[{"type":"LOITER","fence":3,' +
            '"at":"2026-11-22T08:00:00Z"},{"type":"SOS","fence":null,"at":"2026-11-22T07:59:00Z"}]}'

    def "the SQL partition rule gives the partition the Java rule gives, for every id shape"() {
        given:
        List<Long> ids = (1L..3000L) + [0L, -1L, -2L, 2147483647L, 2147483648L, 4294967295L, 4294967296L,
                4294967297L, 2654435769L, 9007199254740993L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
                -4294967296L, 123456789012345L, -987654321098765L]

        expect:
        [1, 2, 3, 7, 12, 16, 64].every { int count ->
            Map<Long, Integer> sql = [:]
            tx.executeRead { s ->
                jdbc.prepareStatement("SELECT id, ${PartitionedEvaluation.partitionOfSql('id', count)} FROM unnest(?::bigint[]) AS t(id)".toString()) { ps ->
                    ps.setArray(1, ps.connection.createArrayOf('bigint', ids as Long[]))
                    def rs = ps.executeQuery()
                    while (rs.next()) {
                        sql[rs.getLong(1)] = rs.getInt(2)
                    }
                    null
                }
            }
            def wrong = ids.findAll { sql[it] != PartitionedEvaluation.partitionOf(it, count) }
            assert wrong.isEmpty(): "count $count: SQL and Java disagree for ${wrong.take(5)}"
            true
        }
    }

    def "a node adopting a partition loads only that partition's states, and the states an existing install wrote"() {
        given: 'forty subjects with a stored state each, in the format the checkpoints have always had'
        int count = 12
        List<Long> subjects = (0..<40).collect { scene.subject('WARD') }
        subjects.each { id ->
            scene.update('INSERT INTO subject_state (subject_id, state) VALUES (?, ?::jsonb) ON CONFLICT (subject_id) DO UPDATE SET state = EXCLUDED.state', id, V1_STATE)
        }
        def checkpoints = new Checkpoints(tx, jdbc, count, 'geoward-fixes', 'spec')

        when:
        Map<Integer, Set<Long>> loaded = (0..<count).collectEntries { p -> [p, checkpoints.states(p).keySet()] }

        then: 'each partition gets exactly its own subjects, and every subject goes to one partition'
        subjects.every { id -> id in loaded[PartitionedEvaluation.partitionOf(id, count)] }
        loaded.every { p, ids -> ids.every { PartitionedEvaluation.partitionOf(it, count) == p } }
        loaded.values().sum { it.size() } == checkpoints.states().size()

        and: 'the old state reads whole'
        def state = checkpoints.states(PartitionedEvaluation.partitionOf(subjects[0], count))[subjects[0]]
        state.lastFixTime() == Instant.parse('2026-11-22T08:00:00Z')
        state.lastLon() == 107.382d
        state.fence(3).isLoiterRaised()
        state.fence(3).episodeStart() == Instant.parse('2026-11-22T07:30:00Z')
        state.fence(1).isWanderPending()
        state.fence(1).lastInside() == null
        state.isOpen(AlertType.LOITER, 3L)
        state.openAlerts()[new org.geoward.evaluate.SubjectState.AlertKey(AlertType.SOS, null)] == Instant.parse('2026-11-22T07:59:00Z')

        cleanup:
        subjects.each { scene.update('DELETE FROM subject_state WHERE subject_id = ?', it) }
    }

    def "a checkpoint writes the states and the next offset in one transaction, and under an old epoch neither"() {
        given: 'partition 3 of a topic of its own, adopted under epoch 2 (by this node) after epoch 1 (by one presumed dead)'
        String topic = "checkpoint-spec-${UUID.randomUUID()}"
        int partition = 3
        long ward = scene.subject('WARD')
        while (PartitionedEvaluation.partitionOf(ward, 12) != partition) {
            ward = scene.subject('WARD')
        }
        scene.update("INSERT INTO cluster_checkpoint (topic, partition, partitions, next_offset, epoch, owner) VALUES (?, ?, 12, 0, 2, 'new')",
                topic, partition)
        def checkpoints = new Checkpoints(tx, jdbc, 12, topic, 'spec')
        Closure<SubjectState> state = { String at -> SubjectState.fromJson(V1_STATE.replace('2026-11-22T08:00:00Z', at)) }

        when: 'the owner under epoch 2 checkpoints offset 41'
        checkpoints.save(partition, 2, [(ward): state('2026-11-22T09:00:00Z')], [ward] as Set, 41)

        then: 'the state and the next offset, 42, are both there'
        scene.first('SELECT next_offset FROM cluster_checkpoint WHERE topic = ? AND partition = ?', topic, partition) == 42
        scene.first('SELECT last_fix_at FROM subject_state WHERE subject_id = ?', ward).toInstant() == Instant.parse('2026-11-22T09:00:00Z')

        when: 'the node of epoch 1, still running, checkpoints a later state and offset 99'
        checkpoints.save(partition, 1, [(ward): state('2026-11-22T10:00:00Z')], [ward] as Set, 99)

        then: 'it is refused, and neither its state nor its offset was written'
        thrown(Checkpoints.PartitionTakenOver)
        scene.first('SELECT next_offset FROM cluster_checkpoint WHERE topic = ? AND partition = ?', topic, partition) == 42
        scene.first('SELECT last_fix_at FROM subject_state WHERE subject_id = ?', ward).toInstant() == Instant.parse('2026-11-22T09:00:00Z')

        cleanup:
        scene.update('DELETE FROM cluster_checkpoint WHERE topic = ?', topic)
        scene.update('DELETE FROM subject_state WHERE subject_id = ?', ward)
    }

    def "a lease of scheduled work is held by one node at a time, renewed by it, and taken over once it expires"() {
        given: 'two cluster nodes and a single node'
        String job = "lease-spec-${UUID.randomUUID()}"
        def x = new ClusterLease('127.0.0.1:9092', 'x', 8080, tx, jdbc)
        def y = new ClusterLease('127.0.0.1:9092', 'y', 8081, tx, jdbc)
        def single = new ClusterLease('', '', 8080, tx, jdbc)
        Duration ttl = Duration.ofMillis(800)

        expect: 'x takes it; while x renews it, y does not get it'
        x.holds(job, ttl)
        !y.holds(job, ttl)
        x.holds(job, ttl)
        !y.holds(job, ttl)

        and: 'x stops renewing: once the lease expires, y takes it and x no longer holds it'
        new PollingConditions(timeout: 10, delay: 0.1).eventually { assert y.holds(job, ttl) }
        !x.holds(job, ttl)

        and: 'a single node always holds every lease, and writes no row for it'
        single.holds("$job-single", ttl)
        scene.first('SELECT count(*) FROM cluster_lease WHERE name = ?', "$job-single".toString()) == 0

        cleanup:
        scene.update('DELETE FROM cluster_lease WHERE name = ?', job)
    }
}
