package org.geoward.alert;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geoward.evaluate.AlertType;
import org.geoward.problem.ProblemException;

/**
 * The people's side of an alert's life: acknowledge and resolve, each a timeline step with the user as actor,
 * published as {@link AlertChanged} after the commit.
 *
 * <p>Resolving by hand also tells the subject's evaluator partition, after the commit (a partition that dies before
 * its next checkpoint finds the resolved alert when it starts again), for the alerts whose episode ends there (DANGER, LOITER, SOS: the next episode may raise them again). WANDER and OFFLINE stay marked open in the
 * state until the ward returns or reports again, so a ward still out does not raise a second WANDER the minute after
 * a dispatcher closed the first.
 */
@Singleton
public class AlertService {
    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;
    private final ResolvedByHand evaluation;
    private final AlertEvents events;
    private final AlertQueries queries;
    private final ApplicationEventPublisher<AlertChanged> publisher;

    AlertService(
            JdbcOperations jdbc,
            TransactionOperations<Connection> tx,
            ResolvedByHand evaluation,
            AlertEvents events,
            AlertQueries queries,
            ApplicationEventPublisher<AlertChanged> publisher) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.evaluation = evaluation;
        this.events = events;
        this.queries = queries;
        this.publisher = publisher;
    }

    /** OPEN → ACKNOWLEDGED by {@code username}; 409 from any other status. */
    AlertFeature acknowledge(long id, Viewer viewer) {
        AlertFeature current = visible(id, viewer);
        String status = current.properties().status();
        if (!AlertStatus.OPEN.name().equals(status)) {
            throw ProblemException.conflict(
                    "alert " + id + " is " + status + "; only an OPEN alert can be acknowledged");
        }
        List<AlertChanged> changed = tx.executeWrite(s -> {
            boolean updated = update(
                    "UPDATE alert SET status = 'ACKNOWLEDGED', updated_at = now() WHERE id = ? AND status = 'OPEN'",
                    id,
                    null,
                    null);
            if (!updated) {
                throw ProblemException.conflict(
                        "alert " + id + " changed meanwhile; only an OPEN alert can be acknowledged");
            }
            return events.append(
                    List.of(new AlertStep(id, viewer.username(), "ACKNOWLEDGED", AlertStatus.ACKNOWLEDGED, Map.of())));
        });
        changed.forEach(publisher::publishEvent);
        return current(id, viewer);
    }

    /** Any unresolved status → RESOLVED with {@code outcome} and {@code note}; 409 when already resolved. */
    AlertFeature resolve(long id, Viewer viewer, String outcome, String note) {
        AlertFeature current = visible(id, viewer);
        long subjectId = Long.parseLong(current.properties().subjectId());
        AlertType type = AlertType.valueOf(current.properties().type());
        Long fenceId = current.properties().fenceId() == null
                ? null
                : Long.parseLong(current.properties().fenceId());
        String result = outcome == null || outcome.isBlank() ? "CLOSED" : outcome.trim();
        List<AlertChanged> changed = tx.executeWrite(s -> {
            boolean updated = update(
                    """
                    UPDATE alert SET status = 'RESOLVED', outcome = ?, note = ?, resolved_at = now(), updated_at = now()
                    WHERE id = ? AND status <> 'RESOLVED'""",
                    id,
                    result,
                    note);
            if (!updated) {
                throw ProblemException.conflict("alert " + id + " is already RESOLVED");
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("outcome", result);
            if (note != null) {
                detail.put("note", note);
            }
            return events.append(
                    List.of(new AlertStep(id, viewer.username(), "RESOLVED", AlertStatus.RESOLVED, detail)));
        });
        evaluation.alertResolved(subjectId, type, fenceId);
        changed.forEach(publisher::publishEvent);
        return current(id, viewer);
    }

    private AlertFeature visible(long id, Viewer viewer) {
        return queries.find(id, viewer).orElseThrow(() -> ProblemException.notFound("alert", id));
    }

    private AlertFeature current(long id, Viewer viewer) {
        return visible(id, viewer).withTimeline(queries.timeline(id));
    }

    /** Runs an UPDATE whose parameters are (outcome, note, id) or just (id); tells whether a row changed. */
    private boolean update(String sql, long id, String outcome, String note) {
        return jdbc.prepareStatement(sql, ps -> {
            int i = 1;
            if (sql.contains("outcome = ?")) {
                ps.setString(i++, outcome);
                ps.setObject(i++, note, Types.VARCHAR);
            }
            ps.setLong(i, id);
            return ps.executeUpdate() == 1;
        });
    }
}
