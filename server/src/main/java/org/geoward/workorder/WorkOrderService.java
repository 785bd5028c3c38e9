package org.geoward.workorder;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geoward.alert.AlertChanged;
import org.geoward.alert.AlertEvents;
import org.geoward.alert.AlertStatus;
import org.geoward.alert.AlertStep;
import org.geoward.alert.RaisedAlerts;
import org.geoward.problem.ProblemException;

/**
 * The steps of a work order, each one transaction that updates the alert and {@code work_order} rows and appends
 * its {@code alert_event} (published as {@link AlertChanged} after commit, so the console's SSE stream sees it):
 * report (OPENED), raise from an alert, analyse (ANALYSED; an OPEN order becomes ACKNOWLEDGED), order to a unit
 * (ORDERED; ordering to an officer is dispatch's {@code POST /api/alerts/{id}/assign}), follow up (FOLLOWED_UP),
 * feedback (FEEDBACK, then RESOLVED: the assigned officer is freed by the resolve trigger) and evaluate (EVALUATED).
 * Thread-safe.
 */
@Singleton
class WorkOrderService {
    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;
    private final AlertEvents events;
    private final RaisedAlerts alerts;
    private final ApplicationEventPublisher<AlertChanged> publisher;
    private final WorkOrderRepository orders;
    private final WorkOrderSettings settings;

    WorkOrderService(
            JdbcOperations jdbc,
            TransactionOperations<Connection> tx,
            AlertEvents events,
            RaisedAlerts alerts,
            ApplicationEventPublisher<AlertChanged> publisher,
            WorkOrderRepository orders,
            WorkOrderSettings settings) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.alerts = alerts;
        this.publisher = publisher;
        this.orders = orders;
        this.settings = settings;
    }

    /** Who asks: the username, whether a dispatcher (or admin), and their own subject if any. */
    record Actor(String username, boolean isDispatcher, Long subjectId) {}

    /** What a report says; checked by the controller. */
    record Report(
            Category category,
            String description,
            double lon,
            double lat,
            List<String> photos,
            Long subjectId,
            Source source,
            Long sourceAlertId) {}

    /** Opens a work order; its subject is the one named, else the reporter's own. */
    WorkOrder report(Report r, Actor actor) {
        Long subject = r.subjectId() != null ? r.subjectId() : actor.subjectId();
        if (subject == null) {
            throw ProblemException.badRequest(
                    "subjectId", "subjectId is required: this account has no subject of its own to report as");
        }
        long id = write(() -> {
            requireSubject(subject);
            Instant now = Instant.now();
            Instant deadline = now.plus(settings.deadline(r.category()));
            long alertId = alerts.openWorkOrder(
                    subject,
                    now,
                    r.lon(),
                    r.lat(),
                    r.description(),
                    r.photos().isEmpty() ? null : r.photos().get(0));
            jdbc.prepareStatement(
                    """
                    INSERT INTO work_order (alert_id, category, description, photos, source, source_alert_id, reporter,
                                            deadline)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    ps -> {
                        ps.setLong(1, alertId);
                        ps.setString(2, r.category().name());
                        ps.setString(3, r.description());
                        ps.setArray(
                                4,
                                ps.getConnection()
                                        .createArrayOf("text", r.photos().toArray()));
                        ps.setString(5, r.source().name());
                        ps.setObject(6, r.sourceAlertId());
                        ps.setString(7, actor.username());
                        ps.setTimestamp(8, Timestamp.from(deadline));
                        return ps.executeUpdate();
                    });
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("source", r.source().name());
            detail.put("category", r.category().name());
            detail.put("deadline", deadline.toString());
            if (r.sourceAlertId() != null) {
                detail.put("sourceAlertId", Long.toString(r.sourceAlertId()));
            }
            List<AlertStep> steps = new java.util.ArrayList<>();
            steps.add(new AlertStep(alertId, actor.username(), "OPENED", AlertStatus.OPEN, detail));
            if (r.sourceAlertId() != null) {
                String status = statusOf(r.sourceAlertId());
                steps.add(new AlertStep(
                        r.sourceAlertId(),
                        actor.username(),
                        "WORK_ORDER_RAISED",
                        AlertStatus.valueOf(status),
                        Map.of(
                                "workOrderId",
                                Long.toString(alertId),
                                "category",
                                r.category().name())));
            }
            return new Written<>(alertId, events.append(steps));
        });
        return tx.executeRead(s -> orders.load(id));
    }

    /** Raises a work order from alert {@code alertId}: at its position, about its subject, linked both ways. */
    WorkOrder fromAlert(long alertId, Category category, String description, Actor actor) {
        record Source(long subject, double lon, double lat, String type) {}
        Source source = tx.executeRead(s -> jdbc.prepareStatement(
                "SELECT subject_id, ST_X(pos::geometry), ST_Y(pos::geometry), type FROM alert WHERE id = ?", ps -> {
                    ps.setLong(1, alertId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw ProblemException.notFound("alert", alertId);
                        }
                        double lon = rs.getDouble(2);
                        if (rs.wasNull()) {
                            throw ProblemException.conflict(
                                    "Alert " + alertId + " has no position to raise a work order at");
                        }
                        return new Source(rs.getLong(1), lon, rs.getDouble(3), rs.getString(4));
                    }
                }));
        if ("WORK_ORDER".equals(source.type())) {
            throw ProblemException.conflict("Alert " + alertId + " is a work order already");
        }
        String text = description != null ? description : "from " + source.type() + " alert " + alertId;
        return report(
                new Report(
                        category,
                        text,
                        source.lon(),
                        source.lat(),
                        List.of(),
                        source.subject(),
                        org.geoward.workorder.Source.ALERT,
                        alertId),
                actor);
    }

    /** Categorises and grades work order {@code id}; an OPEN order becomes ACKNOWLEDGED. */
    WorkOrder analyse(long id, Category category, Severity severity, Actor actor) {
        return step(id, actor, "ANALYSED", current -> {
            requireOpen(current, id);
            Category c = category == null ? current.category() : category;
            Instant deadline = current.openedAt().plus(settings.deadline(c));
            jdbc.prepareStatement(
                    "UPDATE work_order SET category = ?, severity = ?, deadline = ? WHERE alert_id = ?", ps -> {
                        ps.setString(1, c.name());
                        ps.setString(2, severity.name());
                        ps.setTimestamp(3, Timestamp.from(deadline));
                        ps.setLong(4, id);
                        return ps.executeUpdate();
                    });
            String status = current.status();
            if ("OPEN".equals(status)) {
                alerts.setStatus(id, AlertStatus.ACKNOWLEDGED);
                status = "ACKNOWLEDGED";
            }
            return new Change(
                    status, Map.of("category", c.name(), "severity", severity.name(), "deadline", deadline.toString()));
        });
    }

    /** Orders work order {@code id} to {@code unit}. */
    WorkOrder order(long id, String unit, Actor actor) {
        return step(id, actor, "ORDERED", current -> {
            requireOpen(current, id);
            jdbc.prepareStatement("UPDATE work_order SET unit = ? WHERE alert_id = ?", ps -> {
                ps.setString(1, unit);
                ps.setLong(2, id);
                return ps.executeUpdate();
            });
            return new Change(current.status(), Map.of("unit", unit));
        });
    }

    /** Records a follow-up note; by a dispatcher or the assigned officer. */
    WorkOrder followUp(long id, String note, Actor actor) {
        return step(id, actor, "FOLLOWED_UP", current -> {
            requireOpen(current, id);
            requireDispatcherOrOfficer(current, actor, "follow up");
            return new Change(current.status(), Map.of("note", note));
        });
    }

    /** Answers work order {@code id} with its result (and photo) and resolves it; by a dispatcher or its officer. */
    WorkOrder feedback(long id, String result, String photo, Actor actor) {
        long eventCount = write(() -> {
            WorkOrder current = lockAndLoad(id);
            requireOpen(current, id);
            requireDispatcherOrOfficer(current, actor, "answer");
            jdbc.prepareStatement("UPDATE work_order SET result = ?, result_photo = ? WHERE alert_id = ?", ps -> {
                ps.setString(1, result);
                ps.setString(2, photo);
                ps.setLong(3, id);
                return ps.executeUpdate();
            });
            alerts.resolveFromWorkOrder(id, result);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("result", result);
            if (photo != null) {
                detail.put("photo", photo);
            }
            return new Written<>(
                    id,
                    events.append(List.of(
                            new AlertStep(
                                    id, actor.username(), "FEEDBACK", AlertStatus.valueOf(current.status()), detail),
                            new AlertStep(
                                    id,
                                    actor.username(),
                                    "RESOLVED",
                                    AlertStatus.RESOLVED,
                                    Map.of("outcome", "DONE")))));
        });
        return tx.executeRead(s -> orders.load(eventCount));
    }

    /** Rates a resolved work order (1 to 5); by a dispatcher (supervisor) or its reporter, once. */
    WorkOrder evaluate(long id, int rating, String comment, Actor actor) {
        return step(id, actor, "EVALUATED", current -> {
            if (!"RESOLVED".equals(current.status())) {
                throw ProblemException.conflict("Work order " + id + " is " + current.status()
                        + "; it can be evaluated once its feedback resolved it");
            }
            if (!actor.isDispatcher() && !actor.username().equals(current.reporter())) {
                throw new ProblemException(
                        HttpStatus.FORBIDDEN, "Only a dispatcher or the reporter can evaluate work order " + id);
            }
            if (current.rating() != null) {
                throw ProblemException.conflict("Work order " + id + " was already evaluated by " + current.ratedBy());
            }
            jdbc.prepareStatement(
                    "UPDATE work_order SET rating = ?, rated_by = ?, rated_at = now() WHERE alert_id = ?", ps -> {
                        ps.setInt(1, rating);
                        ps.setString(2, actor.username());
                        ps.setLong(3, id);
                        return ps.executeUpdate();
                    });
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("rating", rating);
            detail.put("deadlineMet", current.deadlineMet());
            if (comment != null) {
                detail.put("comment", comment);
            }
            return new Change("RESOLVED", detail);
        });
    }

    private record Change(String status, Map<String, Object> detail) {}

    private record Written<T>(T value, List<AlertChanged> changed) {}

    private interface Work<T> {
        Written<T> run();
    }

    private interface StepWork {
        Change apply(WorkOrder current);
    }

    private WorkOrder step(long id, Actor actor, String action, StepWork work) {
        write(() -> {
            WorkOrder current = lockAndLoad(id);
            Change change = work.apply(current);
            return new Written<>(
                    id,
                    events.append(List.of(new AlertStep(
                            id, actor.username(), action, AlertStatus.valueOf(change.status()), change.detail()))));
        });
        return tx.executeRead(s -> orders.load(id));
    }

    private <T> T write(Work<T> work) {
        Written<T> written = tx.executeWrite(s -> work.run());
        written.changed().forEach(publisher::publishEvent);
        return written.value();
    }

    private WorkOrder lockAndLoad(long id) {
        jdbc.prepareStatement("SELECT id FROM alert WHERE id = ? AND type = 'WORK_ORDER' FOR UPDATE", ps -> {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound("work order", id);
                }
                return null;
            }
        });
        return orders.load(id);
    }

    private static void requireOpen(WorkOrder current, long id) {
        if ("RESOLVED".equals(current.status())) {
            throw ProblemException.conflict("Work order " + id + " is already RESOLVED");
        }
    }

    private static void requireDispatcherOrOfficer(WorkOrder current, Actor actor, String what) {
        boolean officer = actor.subjectId() != null
                && current.officerId() != null
                && current.officerId().equals(Long.toString(actor.subjectId()));
        if (!actor.isDispatcher() && !officer) {
            throw new ProblemException(
                    HttpStatus.FORBIDDEN,
                    "Only a dispatcher or the officer it is assigned to (" + current.officerId() + ") can " + what
                            + " work order " + current.id());
        }
    }

    private String statusOf(long alertId) {
        return jdbc.prepareStatement("SELECT status FROM alert WHERE id = ?", ps -> {
            ps.setLong(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound("alert", alertId);
                }
                return rs.getString(1);
            }
        });
    }

    private void requireSubject(long subjectId) {
        boolean exists = jdbc.prepareStatement("SELECT 1 FROM subject WHERE id = ?", ps -> {
            ps.setLong(1, subjectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
        if (!exists) {
            throw ProblemException.badRequest("subjectId", "subjectId " + subjectId + " is not a subject");
        }
    }
}
