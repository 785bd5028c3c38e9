package org.geoward.alert

import io.micronaut.data.jdbc.runtime.JdbcOperations
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpResponse
import io.micronaut.http.client.HttpClient
import io.micronaut.transaction.TransactionOperations
import org.geoward.fence.FenceCatalog

import java.sql.Connection
import java.sql.ResultSet
import java.time.Instant
import java.time.temporal.ChronoUnit

/**
 * Builds the people and fences a feature needs straight in the V1 tables (the subject and fence APIs live on another
 * branch), posts sightings over HTTP and reads rows back. Every subject and fence is new, and every fence names its
 * subjects, so features never see each other's data; fences are retired by {@link #retireFences()}.
 */
class Scene {
    /** Fuling, where the Wu River meets the Yangtze. */
    static final double LON = 107.39
    static final double LAT = 29.70
    /** About 1.1 km of latitude. */
    static final double KM = 0.01

    final HttpClient http
    final JdbcOperations jdbc
    final TransactionOperations<Connection> tx
    final FenceCatalog catalog
    final List<Long> fences = []
    final Instant base = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)

    Scene(HttpClient http, JdbcOperations jdbc, TransactionOperations<Connection> tx, FenceCatalog catalog) {
        this.http = http
        this.jdbc = jdbc
        this.tx = tx
        this.catalog = catalog
    }

    /** A subject; wards get a long offline limit unless told, so the OFFLINE job leaves them alone. */
    long subject(String kind, Integer offlineMinutes = 100_000) {
        first("INSERT INTO subject (kind, name, offline_minutes) VALUES (?, ?, ?) RETURNING id",
                kind, "${kind.toLowerCase()}-${UUID.randomUUID()}".toString(), kind == 'WARD' ? offlineMinutes : null) as long
    }

    void guard(long ward, long guardian) {
        update("INSERT INTO ward_guardian (ward_id, guardian_id) VALUES (?, ?)", ward, guardian)
    }

    long device(long subjectId) {
        String uid = "imei-${UUID.randomUUID()}"
        update("INSERT INTO device (unique_id, protocol, subject_id) VALUES (?, 'JSON', ?)", uid, subjectId)
        return first("SELECT id FROM device WHERE unique_id = ?", uid) as long
    }

    String deviceUid(long deviceRow) {
        first("SELECT unique_id FROM device WHERE id = ?", deviceRow)
    }

    /** A circular fence of {@code radius} metres around lon/lat. */
    long circle(String kind, double lon, double lat, double radius, List<Long> subjects, Integer dwell = null) {
        long id = first("""
                INSERT INTO fence (name, kind, geom, area, radius_meters, dwell_minutes, subjects)
                VALUES (?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326),
                        ST_Buffer(ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?)::geometry, ?, ?, ?::bigint[])
                RETURNING id""",
                "${kind} circle ${UUID.randomUUID()}".toString(), kind, lon, lat, lon, lat, radius, radius, dwell,
                "{${subjects.join(',')}}".toString()) as long
        fences << id
        catalog.invalidate()
        return id
    }

    /** A polygon fence from WKT. */
    long polygon(String kind, String wkt, List<Long> subjects, Integer dwell = null) {
        long id = first("""
                INSERT INTO fence (name, kind, geom, area, dwell_minutes, subjects)
                VALUES (?, ?, ST_GeomFromText(?, 4326), ST_GeomFromText(?, 4326), ?, ?::bigint[]) RETURNING id""",
                "${kind} polygon ${UUID.randomUUID()}".toString(), kind, wkt, wkt, dwell,
                "{${subjects.join(',')}}".toString()) as long
        fences << id
        catalog.invalidate()
        return id
    }

    void retireFences() {
        if (fences) {
            update("UPDATE fence SET retired_at = now() WHERE id = ANY(?::bigint[])", "{${fences.join(',')}}".toString())
            catalog.invalidate()
        }
    }

    /** A sighting body: subject at lon/lat, {@code minutes} after {@link #base}. */
    Map fix(long subjectId, double minutes, double lon, double lat, Map extra = [:]) {
        [subjectId: subjectId, time: base.plusMillis((long) (minutes * 60_000)).toString(), lon: lon, lat: lat,
         accuracy: 5] + extra
    }

    /** The ISO time {@code minutes} after {@link #base}. */
    String at(double minutes) {
        base.plusMillis((long) (minutes * 60_000)).toString()
    }

    HttpResponse<Map> post(String token, Object body) {
        http.toBlocking().exchange(HttpRequest.POST("/api/sightings", body).bearerAuth(token), Map)
    }

    Map get(String token, String uri) {
        http.toBlocking().retrieve(HttpRequest.GET(uri).bearerAuth(token), Map)
    }

    List<Map> alerts(String token, long subjectId) {
        get(token, "/api/alerts?subjectId=$subjectId").features as List<Map>
    }

    Object first(String sql, Object... params) {
        def rows = rows(sql, params)
        rows ? rows[0][0] : null
    }

    List<List<Object>> rows(String sql, Object... params) {
        tx.executeWrite { status ->
            jdbc.prepareStatement(sql) { ps ->
                params.eachWithIndex { p, i -> ps.setObject(i + 1, p) }
                boolean hasRows = ps.execute()
                List<List<Object>> out = []
                if (hasRows) {
                    ResultSet rs = ps.resultSet
                    int n = rs.metaData.columnCount
                    while (rs.next()) {
                        out << (1..n).collect { rs.getObject(it) }
                    }
                }
                out
            }
        }
    }

    int update(String sql, Object... params) {
        tx.executeWrite { status ->
            jdbc.prepareStatement(sql) { ps ->
                params.eachWithIndex { p, i -> ps.setObject(i + 1, p) }
                ps.executeUpdate()
            }
        }
    }
}
