package org.geoward.notify

import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import io.micronaut.transaction.TransactionCallback
import io.micronaut.transaction.TransactionOperations
import java.sql.Connection
import java.sql.ResultSet
import java.util.concurrent.ThreadLocalRandom
import org.geoward.alert.AlertEvents
import org.geoward.alert.AlertStatus
import org.geoward.alert.AlertStep
import org.geoward.security.PasswordHasher

/**
 * Makes the data of one feature with plain SQL on the V1 tables (subjects, guardians, fences, alerts), alert steps
 * through the alert package's one writer of the timeline ({@link AlertEvents}, which also runs the notification
 * router), and users logged in through the real POST /login. Every name and phone is fresh, so specs can run again
 * against a kept database.
 */
class Scene {
    final TransactionOperations<Connection> tx
    final AlertEvents events
    final HttpClient http
    final PasswordHasher hasher

    Scene(TransactionOperations<Connection> tx, AlertEvents events = null, HttpClient http = null, PasswordHasher hasher = null) {
        this.tx = tx
        this.events = events
        this.http = http
        this.hasher = hasher
    }

    /** Runs {@code work} in one transaction (the statements of {@link #rows} inside it join it). */
    def <T> T inTransaction(Closure<T> work) {
        tx.executeWrite({ status -> work.call() } as TransactionCallback)
    }

    /** Appends steps to alert {@code alertId}'s timeline as the alert package does (inside the caller's transaction, if any). */
    void append(long alertId, List<List> steps) {
        events.append(steps.collect { List step ->
            new AlertStep(alertId, step[0] as String, step[1] as String, step[2] as AlertStatus, step[3] as Map<String, Object>)
        })
    }

    /** Runs {@code sql} with {@code params} in its own transaction; returns the rows as maps (column → value). */
    List<Map<String, Object>> rows(String sql, List params = []) {
        tx.executeWrite({ status ->
            def ps = status.connection.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p) }
            if (!ps.execute()) {
                return []
            }
            ResultSet rs = ps.resultSet
            def meta = rs.metaData
            def out = []
            while (rs.next()) {
                def row = [:]
                (1..meta.columnCount).each { row[meta.getColumnLabel(it)] = rs.getObject(it) }
                out << row
            }
            out
        } as TransactionCallback)
    }

    Object value(String sql, List params = []) {
        def found = rows(sql, params)
        found ? found[0].values().first() : null
    }

    static String phone() {
        "139" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000))
    }

    long subject(String kind, String name, String phone = null, String unit = null) {
        value("INSERT INTO subject (kind, name, phone, unit) VALUES (?, ?, ?, ?) RETURNING id", [kind, name, phone, unit]) as long
    }

    void guard(long ward, long guardian) {
        rows("INSERT INTO ward_guardian (ward_id, guardian_id) VALUES (?, ?)", [ward, guardian])
    }

    /** A circle fence of {@code radiusMeters} around lon, lat. */
    long circleFence(String kind, String name, double lon, double lat, double radiusMeters, Integer dwellMinutes = null) {
        value("""
            INSERT INTO fence (name, kind, geom, area, radius_meters, dwell_minutes)
            VALUES (?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326),
                    ST_Buffer(ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?)::geometry, ?, ?)
            RETURNING id""", [name, kind, lon, lat, lon, lat, radiusMeters, radiusMeters, dwellMinutes]) as long
    }

    long polygonFence(String kind, String name, String wkt, Integer dwellMinutes = null) {
        value("""
            INSERT INTO fence (name, kind, geom, area, dwell_minutes)
            VALUES (?, ?, ST_GeomFromText(?, 4326), ST_GeomFromText(?, 4326), ?) RETURNING id""",
                [name, kind, wkt, wkt, dwellMinutes]) as long
    }

    /** Opens an alert and records its OPENED step in one transaction, as the alert service does. */
    long openAlert(String type, long subjectId, Long fenceId, double lon = 107.39, double lat = 29.70) {
        inTransaction {
            long id = value("""
                INSERT INTO alert (type, subject_id, fence_id, opened_at, pos, last_fix_at)
                VALUES (?, ?, ?, now(), ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, now()) RETURNING id""",
                    [type, subjectId, fenceId, lon, lat]) as long
            append(id, [['system', 'OPENED', AlertStatus.OPEN, [type: type]]])
            id
        }
    }

    /** Resolves an alert with {@code outcome} and records the RESOLVED step, in one transaction. */
    void resolve(long alertId, String outcome, String actor = 'system') {
        inTransaction {
            def resolved = rows("""
                UPDATE alert SET status = 'RESOLVED', outcome = ?, resolved_at = now(), updated_at = now()
                WHERE id = ? RETURNING id""", [outcome, alertId])
            if (resolved) {
                append(alertId, [[actor, 'RESOLVED', AlertStatus.RESOLVED, [outcome: outcome]]])
            }
        }
    }

    /** Creates a user (FAMILY users linked to {@code wards}) and logs in; returns [id: ..., token: ...]. */
    Map user(String role, Long subjectId = null, List<Long> wards = []) {
        String username = "${role.toLowerCase()}-${UUID.randomUUID()}".toString()
        String password = "pw-" + username
        long id = value("INSERT INTO app_user (username, password_hash, role, subject_id) VALUES (?, ?, ?, ?) RETURNING id",
                [username, hasher.hash(password), role, subjectId]) as long
        wards.each { rows("INSERT INTO user_ward (user_id, ward_id) VALUES (?, ?)", [id, it]) }
        def login = http.toBlocking().retrieve(HttpRequest.POST("/login", [username: username, password: password]), Map)
        [id: id, token: login.access_token, username: username]
    }

    List<Map<String, Object>> notifications(long alertId) {
        rows("SELECT * FROM notification WHERE alert_id = ? ORDER BY id", [alertId])
    }
}
