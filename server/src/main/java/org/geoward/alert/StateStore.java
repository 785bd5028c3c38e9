package org.geoward.alert;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.geoward.evaluate.SubjectState;

/**
 * Reads and writes the durable evaluator state ({@code subject_state}, one JSON document per subject). Must run
 * inside the caller's transaction: {@link #lockAndLoad} locks the row until it commits. {@link #lockAndLoadAll} and
 * {@link #saveAll} do the same for a whole batch of subjects in one statement each, locking in ascending subject id
 * order so that concurrent batches cannot deadlock on each other.
 */
@Singleton
class StateStore {
    private final JdbcOperations jdbc;

    StateStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks and returns the subject's state, creating an empty one the first time. */
    SubjectState lockAndLoad(long subjectId) {
        String json = select(subjectId);
        if (json == null) {
            jdbc.prepareStatement(
                    "INSERT INTO subject_state (subject_id, state) VALUES (?, ?::jsonb) ON CONFLICT DO NOTHING", ps -> {
                        ps.setLong(1, subjectId);
                        ps.setString(2, new SubjectState().toJson());
                        return ps.executeUpdate();
                    });
            json = select(subjectId);
        }
        return SubjectState.fromJson(json);
    }

    private String select(long subjectId) {
        return jdbc.prepareStatement("SELECT state::text FROM subject_state WHERE subject_id = ? FOR UPDATE", ps -> {
            ps.setLong(1, subjectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    /** Writes the state back (the row must have been locked by {@link #lockAndLoad}). */
    void save(long subjectId, SubjectState state) {
        jdbc.prepareStatement(
                "UPDATE subject_state SET state = ?::jsonb, last_fix_at = ?, updated_at = now() WHERE subject_id = ?",
                ps -> {
                    ps.setString(1, state.toJson());
                    ps.setTimestamp(2, state.lastFixTime() == null ? null : Timestamp.from(state.lastFixTime()));
                    ps.setLong(3, subjectId);
                    return ps.executeUpdate();
                });
    }

    /**
     * Locks and returns the states of {@code subjectIds}, creating empty ones the first time: one {@code SELECT ...
     * FOR UPDATE} in ascending subject id order; only if some rows are missing, one {@code INSERT} of those (also
     * ascending) and a second {@code SELECT ... FOR UPDATE} of them.
     */
    Map<Long, SubjectState> lockAndLoadAll(Collection<Long> subjectIds) {
        Long[] ids = new TreeSet<>(subjectIds).toArray(Long[]::new);
        Map<Long, SubjectState> out = new HashMap<>(ids.length * 2);
        if (ids.length == 0) {
            return out;
        }
        selectForUpdate(ids, out);
        if (out.size() < ids.length) {
            Long[] missing =
                    Arrays.stream(ids).filter(id -> !out.containsKey(id)).toArray(Long[]::new);
            jdbc.prepareStatement(
                    """
                    INSERT INTO subject_state (subject_id, state)
                    SELECT id, ?::jsonb FROM unnest(?::bigint[]) WITH ORDINALITY AS v(id, n) ORDER BY n
                    ON CONFLICT DO NOTHING""",
                    ps -> {
                        ps.setString(1, new SubjectState().toJson());
                        ps.setArray(2, ps.getConnection().createArrayOf("bigint", missing));
                        return ps.executeUpdate();
                    });
            selectForUpdate(missing, out);
        }
        return out;
    }

    private void selectForUpdate(Long[] ids, Map<Long, SubjectState> out) {
        jdbc.prepareStatement(
                """
                SELECT subject_id, state::text FROM subject_state WHERE subject_id = ANY(?)
                ORDER BY subject_id FOR UPDATE""",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getLong(1), SubjectState.fromJson(rs.getString(2)));
                        }
                    }
                    return null;
                });
    }

    /** Writes the states back in one statement (the rows must have been locked by {@link #lockAndLoadAll}). */
    void saveAll(Map<Long, SubjectState> states) {
        if (states.isEmpty()) {
            return;
        }
        Long[] ids = new TreeSet<>(states.keySet()).toArray(Long[]::new);
        String[] json = new String[ids.length];
        String[] lastFix = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            SubjectState state = states.get(ids[i]);
            json[i] = state.toJson();
            lastFix[i] =
                    state.lastFixTime() == null ? null : state.lastFixTime().toString();
        }
        jdbc.prepareStatement(
                """
                UPDATE subject_state s SET state = v.state::jsonb, last_fix_at = v.last_fix::timestamptz,
                                           updated_at = now()
                FROM unnest(?::bigint[], ?::text[], ?::text[]) AS v(id, state, last_fix)
                WHERE s.subject_id = v.id""",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids));
                    ps.setArray(2, ps.getConnection().createArrayOf("text", json));
                    ps.setArray(3, ps.getConnection().createArrayOf("text", lastFix));
                    return ps.executeUpdate();
                });
    }
}
