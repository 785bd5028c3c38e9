package org.geoward.alert

import io.micronaut.core.type.Argument
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.security.Role
import org.geoward.support.Accounts
import spock.lang.Shared

/**
 * Key populations and children near water through the real HTTP API: a ward's category, a DANGER river bank that
 * names MINOR and a summer schedule, fixes posted in batches, and the alerts that come of them (real PostGIS, the
 * real evaluation partitions).
 */
@MicronautTest(transactional = false)
class KeyPopulationSpec extends AlertSpecBase {
    /** A 50 m corridor along a stretch of the Wu river bank. */
    static final String BANK_LINE = 'LINESTRING (107.380 29.700, 107.390 29.700)'

    @Shared String admin
    @jakarta.inject.Inject org.geoward.partition.OfflineCheck offline

    def setup() {
        admin = admin ?: Accounts.token(http, users, hasher, Role.ADMIN)
    }

    Map createSubject(Map body) {
        http.toBlocking().retrieve(HttpRequest.POST('/api/subjects', body).bearerAuth(admin), Map)
    }

    long ward(String category) {
        Map body = [kind: 'WARD', name: "孩子-${UUID.randomUUID()}".toString(), offlineMinutes: 10_000_000]
        if (category) {
            body.category = category
        }
        createSubject(body).id as long
    }

    Map bank(Map props = [:]) {
        Map feature = [type      : 'Feature',
                       geometry  : [type: 'LineString', coordinates: [[107.380, 29.700], [107.390, 29.700]]],
                       properties: [name: "乌江岸边-${UUID.randomUUID()}".toString(), kind: 'DANGER', bufferMeters: 50,
                                    categories: ['MINOR'],
                                    active: [months: [6, 7, 8, 9], zone: 'Asia/Shanghai']] + props]
        Map created = http.toBlocking().retrieve(HttpRequest.POST('/api/fences', feature).bearerAuth(token), Map)
        scene.fences << (created.id as long)
        created
    }

    /** Down the bank to the water on a summer afternoon (15:00-15:12 in Shanghai), in rows of [lat, time]. */
    static List<Map> toTheWater(long subject, String day = '2026-07-12') {
        [[29.7018, '07:00'], [29.70090, '07:05'], [29.70040, '07:06'], [29.70047, '07:07'], [29.70005, '07:10'],
         [29.70005, '07:10'], [29.70001, '07:12']].collect { row ->
            [subjectId: subject, time: "${day}T${row[1]}:00Z".toString(), lon: 107.385, lat: row[0], accuracy: 5]
        }
    }

    def "a ward's category is stored, shown and changed through the subject API"() {
        when:
        def created = createSubject([kind: 'WARD', name: '小明', category: 'MINOR'])
        def changed = http.toBlocking().retrieve(
                HttpRequest.PUT("/api/subjects/$created.id", [category: 'INTELLECTUAL_DISABILITY']).bearerAuth(admin), Map)
        def read = scene.get(admin, "/api/subjects/$created.id")

        then:
        created.category == 'MINOR'
        changed.category == 'INTELLECTUAL_DISABILITY'
        read.category == 'INTELLECTUAL_DISABILITY'
    }

    def "a subject with #fault is a 400 naming category"() {
        when:
        createSubject(body)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().errors*.field == ['category']

        where:
        fault                    | body
        'an unknown category'    | [kind: 'WARD', name: 'x', category: 'CHILD']
        'a category, not a ward' | [kind: 'GUARDIAN', name: 'x', category: 'MINOR']
    }

    def "a minor at the summer river bank raises DANGER once, whatever the batches; an adult ward on the same track does not"() {
        given:
        long child = ward('MINOR')
        long adult = ward('DEMENTIA')
        long uncategorised = ward(null)
        def fence = bank()
        def fixes = toTheWater(child)

        when: 'the child\'s fixes come in three batches, the adults\' in one each'
        scene.post(token, fixes[0..2])
        scene.post(token, fixes[3..4])
        scene.post(token, fixes[5..6])
        scene.post(token, toTheWater(adult))
        scene.post(token, toTheWater(uncategorised))

        then:
        def danger = alerts(child, 'DANGER')
        danger.size() == 1
        danger[0].properties.fenceId == fence.id
        danger[0].properties.openedAt == '2026-07-12T07:10:00Z'
        alerts(adult, 'DANGER').isEmpty()
        alerts(uncategorised, 'DANGER').isEmpty()
    }

    def "outside the summer months the same track raises nothing"() {
        given:
        long child = ward('MINOR')
        bank()

        when:
        scene.post(token, toTheWater(child, '2026-10-12'))

        then:
        alerts(child, 'DANGER').isEmpty()
    }

    def "the fence API keeps categories and months as given"() {
        when:
        def created = bank()
        def read = scene.get(token, "/api/fences/$created.id")

        then:
        read.properties.categories == ['MINOR']
        read.properties.active.months == [6, 7, 8, 9]
        read.properties.active.zone == 'Asia/Shanghai'
    }

    def "a fence with #fault is a 400 naming #field"() {
        when:
        bank(change)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().errors*.field == [field]

        where:
        fault                     | change                                     || field
        'an unknown category'     | [categories: ['CHILD']]                    || 'properties.categories[0]'
        'categories not an array' | [categories: 'MINOR']                      || 'properties.categories'
        'month 13'                | [active: [months: [6, 13]]]                || 'properties.active.months[1]'
        'a month as text'         | [active: [months: ['July']]]               || 'properties.active.months[0]'
        'months not an array'     | [active: [months: 'summer']]               || 'properties.active.months'
    }

    /** A phone number no other feature uses. */
    static String phone() {
        '+86139' + String.format('%08d', new Random().nextInt(100_000_000))
    }

    def "who is told of a #category ward's DANGER: its guardian and the dispatchers always, and the on-duty officers of the category's units"() {
        given: 'a school unit with one officer on duty and one off, a police officer on duty, a parent'
        try {
            http.toBlocking().exchange(HttpRequest.POST('/api/units', [name: 'SCHOOL', label: '校园安全']).bearerAuth(admin))
        } catch (HttpClientResponseException e) {
            assert e.status == HttpStatus.CONFLICT // made by an earlier feature
        }
        def school = createSubject([kind: 'OFFICER', name: '校园安全员', unit: 'SCHOOL', status: 'AVAILABLE', phone: phone()])
        def schoolOff = createSubject([kind: 'OFFICER', name: '校园安全员 (休)', unit: 'SCHOOL', status: 'OFF_DUTY', phone: phone()])
        def police = createSubject([kind: 'OFFICER', name: '社区民警', unit: 'POLICE', status: 'AVAILABLE', phone: phone()])
        def parent = createSubject([kind: 'GUARDIAN', name: '家长', phone: phone()])
        long ward = createSubject([kind: 'WARD', name: "孩子-${UUID.randomUUID()}".toString(), category: category,
                                   guardians: [parent.id], offlineMinutes: 10_000_000]).id as long
        bank(categories: []) // a bank every ward's DANGER applies to

        when:
        scene.post(token, toTheWater(ward))
        def alert = alerts(ward, 'DANGER')[0]
        def sms = http.toBlocking().retrieve(HttpRequest.GET("/api/notifications?alertId=${alert.properties.id ?: alert.id}&channel=SMS")
                .bearerAuth(admin), Argument.listOf(Map))*.to

        then:
        sms.contains(parent.phone)
        sms.contains(school.phone) == schoolTold
        !sms.contains(schoolOff.phone)
        sms.contains(police.phone) == policeTold

        and: 'the recording SMS gateway sends them'
        new spock.util.concurrent.PollingConditions(timeout: 20).eventually {
            def sent = scene.rows('SELECT phone FROM sms_message WHERE phone IN (?, ?, ?, ?)',
                    parent.phone, school.phone, schoolOff.phone, police.phone)*.get(0) as Set
            assert sent == ([parent.phone] + (schoolTold ? [school.phone] : []) + (policeTold ? [police.phone] : [])) as Set
        }

        where:
        category                 || schoolTold | policeTold
        'MINOR'                  || true       | false
        'SEVERE_MENTAL_DISORDER' || false      | true
        'DEMENTIA'               || false      | false
    }

    def "GET /api/categories lists each category's alert types and the units told"() {
        when:
        def categories = http.toBlocking().retrieve(HttpRequest.GET('/api/categories').bearerAuth(token), Argument.listOf(Map))
        def minor = categories.find { it.category == 'MINOR' }

        then:
        categories*.category == ['DEMENTIA', 'SEVERE_MENTAL_DISORDER', 'INTELLECTUAL_DISABILITY', 'MINOR', 'ELDER_ALONE']
        minor.alertTypes == ['WANDER', 'DANGER', 'SOS']
        minor.units == ['SCHOOL', 'COMMUNITY']
        categories.find { it.category == 'SEVERE_MENTAL_DISORDER' }.units == ['POLICE']
        categories.find { it.category == 'DEMENTIA' }.units == []
        !categories.find { it.category == 'ELDER_ALONE' }.alertTypes.contains('WANDER')
    }

    def "a MINOR's silent watch raises no OFFLINE; a dementia ward's does"() {
        given:
        long child = createSubject([kind: 'WARD', name: "孩子-${UUID.randomUUID()}".toString(), category: 'MINOR',
                                    offlineMinutes: 1]).id as long
        long elder = createSubject([kind: 'WARD', name: "老人-${UUID.randomUUID()}".toString(), category: 'DEMENTIA',
                                    offlineMinutes: 1]).id as long
        def longAgo = java.time.Instant.now().minusSeconds(600).toString()
        scene.post(token, [[subjectId: child, time: longAgo, lon: 107.385, lat: 29.71, accuracy: 5],
                           [subjectId: elder, time: longAgo, lon: 107.385, lat: 29.71, accuracy: 5]])

        when:
        offline.checkAll(java.time.Instant.now())

        then:
        alerts(elder, 'OFFLINE').size() == 1
        alerts(child, 'OFFLINE').isEmpty()
    }
}
