package org.geoward.alert;

import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.geoward.sighting.FixConsumer;
import org.geoward.sighting.Sighting;
import org.geoward.sighting.Source;
import org.geoward.subject.SubjectDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates stored sightings that never were: an evaluation that failed (logged by {@link EvaluationService}) is rolled
 * back to its savepoint while the sightings of its batch still commit, and a sender that retries gets them counted as
 * duplicates, so they would stay unseen by the evaluator for good. Every {@code geoward.evaluate.catch-up-interval}
 * (and soon after start), sightings received within {@code catch-up-lookback} and more than {@code catch-up-grace} ago,
 * newer than their subject's last evaluated fix, go through the {@link FixConsumer} again. Evaluating a fix twice
 * changes nothing (a fix not newer than the last evaluated one changes no state), so racing a slow batch is harmless.
 */
@Singleton
public class EvaluationCatchUp {
    static final int MAX_ROWS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(EvaluationCatchUp.class);

    private final JdbcOperations jdbc;
    private final FixConsumer evaluation;
    private final SubjectDirectory directory;
    private final Duration lookback;
    private final Duration grace;

    EvaluationCatchUp(
            JdbcOperations jdbc,
            FixConsumer evaluation,
            SubjectDirectory directory,
            @Value("${geoward.evaluate.catch-up-lookback:24h}") Duration lookback,
            @Value("${geoward.evaluate.catch-up-grace:30s}") Duration grace) {
        this.jdbc = jdbc;
        this.evaluation = evaluation;
        this.directory = directory;
        this.lookback = lookback;
        this.grace = grace;
    }

    /** Finds and evaluates unevaluated sightings, up to {@link #MAX_ROWS} a run; returns how many it found. */
    @Scheduled(
            fixedDelay = "${geoward.evaluate.catch-up-interval:1m}",
            initialDelay = "${geoward.evaluate.catch-up-delay:15s}")
    public int run() {
        List<Sighting> missed = unevaluated();
        if (missed.isEmpty()) {
            return 0;
        }
        Set<Long> subjects = missed.stream().map(Sighting::subjectId).collect(Collectors.toSet());
        LOG.warn(
                "{} stored fixes of {} subjects were never evaluated; evaluating them now",
                missed.size(),
                subjects.size());
        evaluation.accept(missed, directory.findAll(subjects));
        return missed.size();
    }

    @Transactional(readOnly = true)
    List<Sighting> unevaluated() {
        return jdbc.prepareStatement(
                """
                SELECT s.subject_id, s.time, ST_X(s.pos::geometry), ST_Y(s.pos::geometry), s.accuracy, s.source,
                       s.speed, s.heading, s.battery, s.companions, s.sos, s.phone, s.evidence_url, s.device_id
                FROM sighting s LEFT JOIN subject_state st ON st.subject_id = s.subject_id
                WHERE s.received_at > now() - ?::interval AND s.received_at < now() - ?::interval
                  AND (st.last_fix_at IS NULL OR s.time > st.last_fix_at)
                ORDER BY s.time
                LIMIT ?""",
                ps -> {
                    ps.setString(1, lookback.toSeconds() + " seconds");
                    ps.setString(2, grace.toSeconds() + " seconds");
                    ps.setInt(3, MAX_ROWS);
                    List<Sighting> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(read(rs));
                        }
                    }
                    return out;
                });
    }

    private static Sighting read(ResultSet rs) throws SQLException {
        Array companions = rs.getArray(10);
        return new Sighting(
                rs.getLong(1),
                rs.getTimestamp(2).toInstant(),
                rs.getDouble(3),
                rs.getDouble(4),
                number(rs, 5),
                Source.valueOf(rs.getString(6)),
                number(rs, 7),
                number(rs, 8),
                number(rs, 9),
                companions == null ? List.of() : Arrays.asList((Long[]) companions.getArray()),
                rs.getBoolean(11),
                rs.getString(12),
                rs.getString(13),
                rs.getObject(14, Long.class));
    }

    private static Double number(ResultSet rs, int column) throws SQLException {
        Object value = rs.getObject(column);
        return value == null ? null : ((Number) value).doubleValue();
    }
}
