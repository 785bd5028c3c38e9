package org.geoward.demo;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.geoward.demo.DemoCity.Officer;
import org.geoward.demo.DemoCity.Pt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo city's officers: each patrols its loop and reports its position, and answers what dispatch assigns to it
 * through the public dispatch API, as an officer's app would (accept, go to the alert, arrive by fix, resolve). Driven
 * by {@link DemoSimulator}, on its thread only.
 */
final class DemoOfficers {
    private static final Logger LOG = LoggerFactory.getLogger(DemoOfficers.class);
    /** The patrol car that reports through the OsmAnd door (when it is open), the others through the JSON API. */
    private static final String OSMAND_CAR = "police-01";

    /** Walks a found ward home with the officer who found them. */
    interface Escort {
        void home(long subjectId, Pt from, Instant now);
    }

    private final DemoDoors doors;
    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;
    private final List<Patrol> patrols = new ArrayList<>();

    DemoOfficers(DemoSeeder.Cast cast, DemoDoors doors, JdbcOperations jdbc, TransactionOperations<Connection> tx) {
        this.doors = doors;
        this.jdbc = jdbc;
        this.tx = tx;
        for (Officer o : DemoCity.OFFICERS) {
            Patrol patrol = new Patrol(o, cast.id(o.key()));
            patrol.pos = o.loop().get(0);
            patrols.add(patrol);
        }
    }

    /**
     * Moves every officer one {@code interval} on (along the loop, or toward the alert) and reports their position at
     * {@code t}: into {@code batch}, or for the OsmAnd car through its door with the device token {@code osmandToken}
     * gives for its key.
     */
    void patrol(Instant t, Duration interval, List<Map<String, Object>> batch, UnaryOperator<String> osmandToken) {
        for (Patrol o : patrols) {
            o.move(interval.toSeconds());
            if (o.officer.key().equals(OSMAND_CAR) && doors.hasOsmand()) {
                doors.osmand("fuling-osmand-" + OSMAND_CAR, osmandToken.apply(OSMAND_CAR), t, o.pos, o.officer.kmh());
            } else {
                batch.add(DemoSimulator.fix("deviceId", "fuling-" + o.officer.key(), t, o.pos));
            }
        }
    }

    private record Assigned(
            long alertId, String type, long subjectId, long officerId, boolean accepted, boolean arrived, Pt target) {}

    /**
     * Answers the alerts dispatched to the simulated officers, as their app would: accepts a new one and heads there;
     * once arrived (by fix) stays three simulated minutes, then resolves it (or gives a work order its feedback) and
     * walks the ward home with {@code escort}. An officer with nothing assigned goes back to patrolling; a human
     * officer (a demo login) is moved but left to answer by hand.
     */
    void answer(Instant now, Escort escort) {
        Long[] officers = patrols.stream().map(p -> p.id).toArray(Long[]::new);
        List<Assigned> rows = tx.executeRead(status -> jdbc.prepareStatement(
                """
                SELECT a.id, a.type, a.subject_id, a.assigned_officer_id, a.accepted_at IS NOT NULL,
                       a.arrived_at IS NOT NULL, ST_X(coalesce(sp.pos, a.pos)::geometry),
                       ST_Y(coalesce(sp.pos, a.pos)::geometry)
                FROM alert a LEFT JOIN subject_position sp ON sp.subject_id = a.subject_id
                WHERE a.status = 'DISPATCHED' AND a.assigned_officer_id = ANY(?)""",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("bigint", officers));
                    List<Assigned> list = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            list.add(new Assigned(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getLong(3),
                                    rs.getLong(4),
                                    rs.getBoolean(5),
                                    rs.getBoolean(6),
                                    new Pt(rs.getDouble(7), rs.getDouble(8))));
                        }
                    }
                    return list;
                }));
        Map<Long, Assigned> byOfficer = new HashMap<>();
        rows.forEach(r -> byOfficer.put(r.officerId, r));
        for (Patrol o : patrols) {
            Assigned a = byOfficer.get(o.id);
            if (a == null) {
                o.release();
                continue;
            }
            if (!a.accepted) {
                if (!o.officer.human() && doors.post("/api/alerts/" + a.alertId + "/accept", null, officerToken(o))) {
                    LOG.info("Demo: {} accepts {} alert {}", o.officer.name(), a.type, a.alertId);
                    o.respond(a.alertId, a.target);
                }
                continue;
            }
            o.respond(a.alertId, a.target);
            if (a.arrived && o.onSceneUntil == null) {
                o.onSceneUntil = now.plus(Duration.ofMinutes(3));
            } else if (a.arrived && !o.officer.human() && !now.isBefore(o.onSceneUntil)) {
                boolean workOrder = "WORK_ORDER".equals(a.type);
                Map<String, Object> body = workOrder
                        ? Map.of("result", "演示: 已劝离, 现场处置完毕")
                        : Map.of("outcome", outcome(a.type), "note", "演示: 现场处置完毕");
                String path = workOrder
                        ? "/api/work-orders/" + a.alertId + "/feedback"
                        : "/api/alerts/" + a.alertId + "/resolve";
                if (doors.post(path, body, officerToken(o))) {
                    LOG.info("Demo: {} resolves {} alert {}", o.officer.name(), a.type, a.alertId);
                    escort.home(a.subjectId, o.pos, now);
                    o.release();
                }
            }
        }
    }

    private static String outcome(String type) {
        return switch (type) {
            case "WANDER" -> "FOUND";
            case "SOS" -> "ASSISTED";
            case "DANGER" -> "ESCORTED";
            case "LOITER" -> "WARNED";
            default -> "VISITED";
        };
    }

    private String officerToken(Patrol o) {
        return doors.officerToken(o.officer.key(), o.id);
    }

    /** An officer: patrols a loop, or goes to an alert and stays there until it is resolved. */
    private static final class Patrol {
        final Officer officer;
        final long id;
        Pt pos;
        int next = 1;
        Long alertId;
        Pt target;
        Instant onSceneUntil;

        Patrol(Officer officer, long id) {
            this.officer = officer;
            this.id = id;
        }

        void respond(long alert, Pt where) {
            if (alertId == null || alertId != alert) {
                onSceneUntil = null;
            }
            alertId = alert;
            target = where;
        }

        void release() {
            alertId = null;
            target = null;
            onSceneUntil = null;
        }

        void move(long seconds) {
            double step = officer.kmh() / 3.6 * seconds;
            if (target != null) {
                pos = pos.toward(target, step);
                return;
            }
            List<Pt> loop = officer.loop();
            Pt goal = loop.get(next % loop.size());
            pos = pos.toward(goal, step);
            if (pos.equals(goal)) {
                next = (next + 1) % loop.size();
            }
        }
    }
}
