package org.geoward.database

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import javax.sql.DataSource
import org.geoward.support.Vincenty
import spock.lang.Specification

@MicronautTest(transactional = false)
class DatabaseSpec extends Specification {

    @Inject
    DataSource dataSource

    def "the migrations have made every table of the domain"() {
        when:
        def tables = rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                .collect { it[0] }

        then:
        tables.containsAll(['subject', 'ward_guardian', 'app_user', 'user_ward', 'device', 'fence', 'sighting',
                            'subject_position', 'subject_state', 'alert', 'alert_event', 'flyway_schema_history'])
        rows("SELECT success FROM flyway_schema_history WHERE version = '1'") == [[true]]
    }

    def "PostGIS measures the distance between two places in Fuling as Vincenty does, to 0.1 %"() {
        given: 'Fuling railway station and the Baiheliang underwater museum, about 6 km apart'
        def station = [107.3270, 29.7500]
        def baiheliang = [107.3788, 29.7196]

        when:
        double postgis = rows("""SELECT ST_Distance(ST_MakePoint(?, ?)::geography, ST_MakePoint(?, ?)::geography)""",
                station + baiheliang)[0][0] as double
        double vincenty = Vincenty.metres(*station, *baiheliang)

        then:
        vincenty > 5000 && vincenty < 7000
        Math.abs(postgis - vincenty) / vincenty < 0.001
    }

    def "the sighting history carries no spatial index, the latest positions do"() {
        expect:
        rows("SELECT indexname FROM pg_indexes WHERE tablename = 'sighting' AND indexdef ILIKE '%gist%'").isEmpty()
        rows("SELECT indexname FROM pg_indexes WHERE tablename = 'subject_position' AND indexdef ILIKE '%gist%'").size() == 1
    }

    private List<List<Object>> rows(String sql, List<Object> params = []) {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            def statement = c.prepareStatement(sql)
            params.eachWithIndex { p, i -> statement.setObject(i + 1, p) }
            def rs = statement.executeQuery()
            def result = []
            while (rs.next()) {
                result << (1..rs.metaData.columnCount).collect { rs.getObject(it) }
            }
            result
        }
    }
}
