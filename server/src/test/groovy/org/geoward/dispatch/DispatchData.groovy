package org.geoward.dispatch

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource

import javax.sql.DataSource
import java.sql.Connection
import java.sql.Timestamp
import java.time.Instant

/**
 * Makes officers, their last fixes and alerts with SQL inserts into the V1 tables, on a connection of its own (auto
 * commit), and reads rows back. Every officer and ward gets a fresh name, so specs can run again on a kept database.
 */
class DispatchData {
    /** A point in Fuling's urban area. */
    static final double LON = 107.39, LAT = 29.70

    final DataSource dataSource

    DispatchData(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource)
    }

    /** The point {@code metres} north ({@code bearing} 0), east (90), south (180) or west (270) of lon, lat. */
    static List<Double> offset(double lon, double lat, double metres, int bearing) {
        double dLat = metres / 110_850.0 * Math.cos(Math.toRadians(bearing))
        double dLon = metres / (111_320.0 * Math.cos(Math.toRadians(lat))) * Math.sin(Math.toRadians(bearing))
        return [lon + dLon, lat + dLat]
    }

    /**
     * Tells whether no GRID fence and no work order lies within {@code metres} of lon, lat: a place where a spec's
     * own grid and work orders meet none of an earlier feature's or run's (the test database may be kept).
     */
    boolean unclaimed(double lon, double lat, double metres) {
        row("""SELECT NOT EXISTS (SELECT 1 FROM fence WHERE kind = 'GRID' AND ST_DWithin(area::geography, p, ?))
                      AND NOT EXISTS (SELECT 1 FROM alert WHERE type = 'WORK_ORDER' AND ST_DWithin(pos::geography, p, ?))
                      AS free
               FROM (SELECT ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography AS p) AS here""", [metres, metres, lon, lat]).free
    }

    /** The first of up to 50 places from {@code candidate} that is {@link #unclaimed} within {@code metres}. */
    List<Double> unclaimedPlace(double metres, Closure<List<Double>> candidate) {
        for (int i = 0; i < 50; i++) {
            def (double lon, double lat) = candidate()
            if (unclaimed(lon, lat, metres)) {
                return [lon, lat]
            }
        }
        throw new IllegalStateException("no place without a grid or work order within $metres m found")
    }

    /** A new officer with a fix at lon, lat {@code fixAgeSeconds} ago; returns its id. */
    long officer(Map opts = [:], String unit, double lon, double lat) {
        long id = insert("INSERT INTO subject (kind, name, unit, status, travel_mode) VALUES ('OFFICER', ?, ?, ?, ?) RETURNING id",
                [opts.name ?: "officer-${UUID.randomUUID()}", unit, opts.status ?: 'AVAILABLE', opts.mode ?: 'WALK'])
        if (opts.fix != false) {
            update("""INSERT INTO subject_position (subject_id, time, pos, source)
                      VALUES (?, now() - make_interval(secs => ?), ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, 'GPS')""",
                    [id, (opts.fixAgeSeconds ?: 30) as double, lon, lat])
        }
        return id
    }

    /** A new ward and an alert about it at lon, lat; returns the alert id. */
    long alert(Map opts = [:], String type, double lon, double lat) {
        long ward = insert("INSERT INTO subject (kind, name) VALUES ('WARD', ?) RETURNING id", ["ward-${UUID.randomUUID()}"])
        Instant opened = opts.openedAt ?: Instant.now()
        return insert("""INSERT INTO alert (type, status, subject_id, opened_at, pos, last_fix_at, assigned_officer_id,
                                            outcome, resolved_at)
                         VALUES (?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?, ?, ?, ?) RETURNING id""",
                [type, opts.status ?: 'OPEN', ward, Timestamp.from(opened), lon, lat, Timestamp.from(opened),
                 opts.officer, opts.outcome, opts.resolvedAt ? Timestamp.from(opts.resolvedAt as Instant) : null])
    }

    /** An alert_event row at {@code at}. */
    long event(long alertId, String action, Instant at, String status = 'OPEN', String actor = 'system') {
        insert("INSERT INTO alert_event (alert_id, at, actor, action, status) VALUES (?, ?, ?, ?, ?) RETURNING id",
                [alertId, Timestamp.from(at), actor, action, status])
    }

    /** Makes every officer of {@code unit} from earlier runs OFF_DUTY, after resolving what they were assigned. */
    void retire(String unit) {
        update("""UPDATE alert SET status = 'RESOLVED' WHERE status <> 'RESOLVED'
                  AND assigned_officer_id IN (SELECT id FROM subject WHERE unit = ?)""", [unit])
        update("UPDATE subject SET status = 'OFF_DUTY' WHERE unit = ?", [unit])
    }

    Map row(String sql, List params = []) {
        List<Map> found = rows(sql, params)
        return found ? found[0] : null
    }

    List<Map> rows(String sql, List params = []) {
        withConnection { Connection c ->
            def ps = c.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p instanceof GString ? p.toString() : p) }
            def rs = ps.executeQuery()
            def meta = rs.metaData
            List<Map> out = []
            while (rs.next()) {
                Map row = [:]
                (1..meta.columnCount).each { row[meta.getColumnLabel(it)] = rs.getObject(it) }
                out << row
            }
            out
        } as List<Map>
    }

    int update(String sql, List params = []) {
        withConnection { Connection c ->
            def ps = c.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p instanceof GString ? p.toString() : p) }
            ps.executeUpdate()
        } as int
    }

    private long insert(String sql, List params) {
        withConnection { Connection c ->
            def ps = c.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p instanceof GString ? p.toString() : p) }
            def rs = ps.executeQuery()
            rs.next()
            rs.getLong(1)
        } as long
    }

    private Object withConnection(Closure work) {
        Connection c = dataSource.connection
        try {
            c.autoCommit = true
            return work(c)
        } finally {
            c.close()
        }
    }
}
