package org.geoward.alert;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import org.geoward.evaluate.SubjectState;

/**
 * Reads and writes the durable evaluator state ({@code subject_state}, one JSON document per subject). Must run
 * inside the caller's transaction: {@link #lockAndLoad} locks the row until it commits.
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
}
