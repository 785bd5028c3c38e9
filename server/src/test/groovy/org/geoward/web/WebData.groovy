package org.geoward.web

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource

import javax.sql.DataSource
import java.sql.Timestamp
import java.time.Instant

/** Makes subjects, fences, officers and alerts for the browser specs with SQL inserts into the V1 tables. */
class WebData {
    final DataSource dataSource

    WebData(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource)
    }

    long ward(String name, Double lon = null, Double lat = null) {
        long id = insert("INSERT INTO subject (kind, name) VALUES ('WARD', ?) RETURNING id", [name])
        if (lon != null) {
            update("""INSERT INTO subject_position (subject_id, time, pos, battery, source)
                      VALUES (?, now() - interval '5 minutes', ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, 76, 'GPS')""",
                    [id, lon, lat])
        }
        return id
    }

    long officer(String name, String unit, double lon, double lat) {
        long id = insert("INSERT INTO subject (kind, name, unit, status, travel_mode) VALUES ('OFFICER', ?, ?, 'AVAILABLE', 'WALK') RETURNING id",
                [name, unit])
        update("""INSERT INTO subject_position (subject_id, time, pos, source)
                  VALUES (?, now() - interval '20 seconds', ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, 'GPS')""", [id, lon, lat])
        return id
    }

    long alert(String type, long subjectId, double lon, double lat, Long fenceId = null, Instant opened = Instant.now().minusSeconds(300)) {
        long id = insert("""INSERT INTO alert (type, status, subject_id, fence_id, opened_at, pos, last_fix_at, detail)
                            VALUES (?, 'OPEN', ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?, 'inserted by ConsoleSpec')
                            RETURNING id""",
                [type, subjectId, fenceId, Timestamp.from(opened), lon, lat, Timestamp.from(opened)])
        insert("INSERT INTO alert_event (alert_id, at, actor, action, status) VALUES (?, ?, 'system', 'OPENED', 'OPEN') RETURNING id",
                [id, Timestamp.from(opened)])
        return id
    }

    /** A fence from WKT; circles and corridors take radius or buffer metres. */
    long fence(String name, String kind, String wkt, Map opts = [:]) {
        Double metres = (opts.radius ?: opts.buffer) as Double
        String area = metres ? "ST_Buffer(ST_GeomFromText(?, 4326)::geography, ${metres})::geometry" : "ST_GeomFromText(?, 4326)"
        insert("""INSERT INTO fence (name, kind, geom, area, radius_meters, buffer_meters, dwell_minutes, subjects)
                  VALUES (?, ?, ST_GeomFromText(?, 4326), ${area}, ?::float8, ?::float8, ?::int, ?::bigint[]) RETURNING id""".toString(),
                [name, kind, wkt, wkt, opts.radius, opts.buffer, opts.dwell, '{' + (opts.subjects ?: []).join(',') + '}'])
    }

    void wardOf(String username, long wardId) {
        update("INSERT INTO user_ward (user_id, ward_id) SELECT id, ? FROM app_user WHERE username = ?", [wardId, username])
    }

    String status(long alertId) {
        def c = dataSource.connection
        try {
            def ps = c.prepareStatement("SELECT status FROM alert WHERE id = ?")
            ps.setLong(1, alertId)
            def rs = ps.executeQuery()
            rs.next()
            return rs.getString(1)
        } finally {
            c.close()
        }
    }

    private void update(String sql, List params) {
        def c = dataSource.connection
        try {
            def ps = c.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p) }
            ps.executeUpdate()
        } finally {
            c.close()
        }
    }

    private long insert(String sql, List params) {
        def c = dataSource.connection
        try {
            def ps = c.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p instanceof GString ? p.toString() : p) }
            def rs = ps.executeQuery()
            rs.next()
            return rs.getLong(1)
        } finally {
            c.close()
        }
    }
}
