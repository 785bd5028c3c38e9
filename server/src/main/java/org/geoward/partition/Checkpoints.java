package org.geoward.partition;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.geoward.evaluate.AlertType;
import org.geoward.evaluate.SubjectState;

/**
 * The partitions' checkpoints in PostgreSQL: owns {@code subject_state} (each subject's evaluator state, as
 * {@link SubjectState#toJson()}), {@code evaluator_checkpoint} (single node: the log position each partition has
 * fully evaluated) and the offset column of {@code cluster_checkpoint} (cluster mode: the next Kafka offset, written
 * only under the epoch the node adopted the partition with). Loads states (all of them, or one partition's only,
 * selected in SQL) reconciled with the alerts people resolved meanwhile; writes a partition's changed states and its
 * position in one transaction. Called by the partition threads and at start; keeps no state of its own.
 */
final class Checkpoints {
    private final TransactionOperations<Connection> tx;
    private final JdbcOperations jdbc;
    private final int count;
    private final String topic;
    private final String node;

    Checkpoints(TransactionOperations<Connection> tx, JdbcOperations jdbc, int count, String topic, String node) {
        this.tx = tx;
        this.jdbc = jdbc;
        this.count = count;
        this.topic = topic;
        this.node = node;
    }

    /**
     * The log position each partition resumes after: its own checkpoint under the current partition count, or else
     * the lowest position written under another count (or before partitions existed), or else 0.
     */
    long[] positions() {
        Map<Integer, Long> own = new HashMap<>();
        long[] foreign = {Long.MAX_VALUE};
        tx.executeRead(status ->
                jdbc.prepareStatement("SELECT partition, partitions, position FROM evaluator_checkpoint", ps -> {
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (rs.getInt(2) == count) {
                                own.put(rs.getInt(1), rs.getLong(3));
                            } else {
                                foreign[0] = Math.min(foreign[0], rs.getLong(3));
                            }
                        }
                    }
                    return null;
                }));
        long fallback = foreign[0] == Long.MAX_VALUE ? 0 : foreign[0];
        long[] from = new long[count];
        for (int i = 0; i < from.length; i++) {
            from[i] = own.getOrDefault(i, fallback);
        }
        return from;
    }

    /** Every stored state, by subject id. */
    Map<Long, SubjectState> states() {
        return readStates("SELECT subject_id, state::text FROM subject_state", -1);
    }

    /** The stored states of {@code partition}'s subjects only (chosen by the database, not read and dropped). */
    Map<Long, SubjectState> states(int partition) {
        return readStates(
                "SELECT subject_id, state::text FROM subject_state WHERE "
                        + PartitionedEvaluation.partitionOfSql("subject_id", count) + " = ?",
                partition);
    }

    private Map<Long, SubjectState> readStates(String sql, int partition) {
        return tx.executeRead(status -> jdbc.prepareStatement(sql, ps -> {
            if (partition >= 0) {
                ps.setInt(1, partition);
            }
            Map<Long, SubjectState> states = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getLong(1), SubjectState.fromJson(rs.getString(2)));
                }
            }
            return states;
        }));
    }

    /**
     * Forgets in {@code states} the open DANGER, LOITER and SOS episodes whose alert a person resolved after the
     * state's last checkpoint (the partition had heard of it, but died before writing it down); adds the subjects
     * changed to {@code dirty}. {@code partition} limits the alerts read to that partition's subjects ({@code -1}:
     * all).
     */
    void forgetResolved(Map<Long, SubjectState> states, Set<Long> dirty, int partition) {
        Map<Long, Set<SubjectState.AlertKey>> unresolved = unresolved(partition);
        Set<SubjectState.AlertKey> none = Set.of();
        states.forEach((id, state) -> {
            if (!state.hasOpenAlerts()) {
                return;
            }
            Set<SubjectState.AlertKey> open = unresolved.getOrDefault(id, none);
            for (SubjectState.AlertKey key : state.openAlerts().keySet()) {
                if (PartitionedEvaluation.EPISODE_ENDS_ON_RESOLVE.contains(key.type()) && !open.contains(key)) {
                    state.markResolved(key.type(), key.fenceId());
                    dirty.add(id);
                }
            }
        });
    }

    /** The alerts not resolved, by subject (of {@code partition}, or of all for {@code -1}). */
    private Map<Long, Set<SubjectState.AlertKey>> unresolved(int partition) {
        String sql = "SELECT subject_id, type, fence_id FROM alert WHERE status <> 'RESOLVED'"
                + (partition < 0 ? "" : " AND " + PartitionedEvaluation.partitionOfSql("subject_id", count) + " = ?");
        Map<Long, Set<SubjectState.AlertKey>> unresolved = new HashMap<>();
        tx.executeRead(status -> jdbc.prepareStatement(sql, ps -> {
            if (partition >= 0) {
                ps.setInt(1, partition);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unresolved
                            .computeIfAbsent(rs.getLong(1), k -> new HashSet<>())
                            .add(new SubjectState.AlertKey(
                                    AlertType.valueOf(rs.getString(2)), rs.getObject(3, Long.class)));
                }
            }
            return null;
        }));
        return unresolved;
    }

    /**
     * Writes {@code partition}'s changed states ({@code dirty}, read from {@code states}) and the position it has
     * evaluated in one transaction: single node, the log {@code position}; cluster mode, the next Kafka offset
     * {@code position + 1} under {@code epoch}, or nothing at all if another node adopted the partition under a newer
     * epoch ({@link PartitionTakenOver}).
     */
    void save(int partition, long epoch, Map<Long, SubjectState> states, Set<Long> dirty, long position) {
        Long[] ids = dirty.toArray(Long[]::new);
        String[] json = new String[ids.length];
        String[] lastFix = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            SubjectState state = states.get(ids[i]);
            json[i] = state.toJson();
            lastFix[i] =
                    state.lastFixTime() == null ? null : state.lastFixTime().toString();
        }
        tx.executeWrite(status -> {
            if (ids.length > 0) {
                saveStates(ids, json, lastFix);
            }
            if (epoch >= 0) {
                saveOffset(partition, epoch, position + 1);
            } else {
                savePosition(partition, position);
            }
            return null;
        });
    }

    /** Deletes the stored state of subject {@code subjectId} (a person erased), inside the caller's transaction. */
    void deleteState(long subjectId) {
        jdbc.prepareStatement("DELETE FROM subject_state WHERE subject_id = ?", ps -> {
            ps.setLong(1, subjectId);
            return ps.executeUpdate();
        });
    }

    private void saveStates(Long[] ids, String[] json, String[] lastFix) {
        jdbc.prepareStatement(
                """
                INSERT INTO subject_state AS s (subject_id, state, last_fix_at, updated_at)
                SELECT v.id, v.state::jsonb, v.last_fix::timestamptz, now()
                FROM unnest(?::bigint[], ?::text[], ?::text[]) AS v(id, state, last_fix)
                WHERE EXISTS (SELECT 1 FROM subject WHERE id = v.id)
                ORDER BY v.id
                ON CONFLICT (subject_id) DO UPDATE
                    SET state = EXCLUDED.state, last_fix_at = EXCLUDED.last_fix_at, updated_at = now()""",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids));
                    ps.setArray(2, ps.getConnection().createArrayOf("text", json));
                    ps.setArray(3, ps.getConnection().createArrayOf("text", lastFix));
                    return ps.executeUpdate();
                });
    }

    /** Cluster mode: the next Kafka offset to evaluate, under this node's epoch; rolls back if another took it. */
    private void saveOffset(int partition, long epoch, long nextOffset) {
        int updated = jdbc.prepareStatement(
                """
                UPDATE cluster_checkpoint SET next_offset = ?, updated_at = now()
                WHERE topic = ? AND partition = ? AND epoch = ?""",
                ps -> {
                    ps.setLong(1, nextOffset);
                    ps.setString(2, topic);
                    ps.setInt(3, partition);
                    ps.setLong(4, epoch);
                    return ps.executeUpdate();
                });
        if (updated == 0) {
            throw new PartitionTakenOver("another node adopted it under a newer epoch; " + node + " no longer owns it");
        }
    }

    private void savePosition(int partition, long position) {
        jdbc.prepareStatement(
                """
                INSERT INTO evaluator_checkpoint (partition, partitions, position, updated_at)
                VALUES (?, ?, ?, now())
                ON CONFLICT (partition) DO UPDATE
                    SET partitions = EXCLUDED.partitions, position = EXCLUDED.position, updated_at = now()""",
                ps -> {
                    ps.setInt(1, partition);
                    ps.setInt(2, count);
                    ps.setLong(3, position);
                    return ps.executeUpdate();
                });
        // once every partition of this count has its own row, the older rows say nothing more
        jdbc.prepareStatement(
                """
                DELETE FROM evaluator_checkpoint
                WHERE (partitions <> ? OR partition >= ?)
                  AND (SELECT count(*) FROM evaluator_checkpoint WHERE partitions = ? AND partition < ?) = ?""",
                ps -> {
                    ps.setInt(1, count);
                    ps.setInt(2, count);
                    ps.setInt(3, count);
                    ps.setInt(4, count);
                    ps.setInt(5, count);
                    return ps.executeUpdate();
                });
    }

    /** A checkpoint found its partition adopted by another node under a newer epoch. */
    static final class PartitionTakenOver extends RuntimeException {
        PartitionTakenOver(String message) {
            super(message);
        }
    }
}
