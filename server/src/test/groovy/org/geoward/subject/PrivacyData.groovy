package org.geoward.subject

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import java.time.Instant
import java.time.temporal.ChronoUnit
import javax.sql.DataSource

/** Database helpers for the consent, export and erasure specs: plain JDBC on the raw pool, Java strings only. */
class PrivacyData {
    final DataSource dataSource

    PrivacyData(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource)
    }

    List<Map> rows(String sql, List params = []) {
        def connection = dataSource.connection
        try {
            def ps = connection.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p instanceof GString ? p.toString() : p) }
            if (!ps.execute()) {
                return []
            }
            def rs = ps.resultSet
            def meta = rs.metaData
            List<Map> found = []
            while (rs.next()) {
                found << (1..meta.columnCount).collectEntries { [meta.getColumnLabel(it), rs.getObject(it)] }
            }
            found
        } finally {
            connection.close()
        }
    }

    Object first(String sql, List params = []) {
        def found = rows(sql, params)
        found ? found[0].values().first() : null
    }

    long count(String sql, List params = []) { first(sql, params) as long }

    /** A fix of {@code subjectId} {@code minutesAgo} minutes ago, near Fuling. */
    static Map fix(def subjectId, int minutesAgo, Map extra = [:]) {
        [subjectId: subjectId as long, time: Instant.now().minus(minutesAgo, ChronoUnit.MINUTES).toString(),
         lon      : 107.39 + minutesAgo * 0.0001, lat: 29.70, accuracy: 10] + extra
    }
}
