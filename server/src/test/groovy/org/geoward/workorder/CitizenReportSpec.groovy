package org.geoward.workorder

import io.micronaut.context.annotation.Property
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.dispatch.DispatchData
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import org.geoward.web.Browser
import spock.lang.Shared
import spock.lang.Specification

import javax.sql.DataSource

/**
 * The citizen report without an account: through HTTP (a located work order, sent to the nearest officer), its bad
 * input, its rate limit, and the phone page /report in Chromium with the browser's location.
 */
@MicronautTest(transactional = false)
@Property(name = "geoward.dispatch.units.WORK_ORDER", value = CitizenReportSpec.UNIT)
@Property(name = "geoward.citizen-reports.per-address", value = "6")
class CitizenReportSpec extends Specification {
    static final String UNIT = "CITIZEN-UNIT"

    @Inject @Client("/") HttpClient http
    @Inject EmbeddedServer server
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource
    @Inject CitizenRateLimit limit

    @Shared DispatchData data
    @Shared String dispatcher

    def setup() {
        data = new DispatchData(dataSource)
        data.retire(UNIT)
        dispatcher = dispatcher ?: new Accounts(http, users, hasher).tokenFor(Role.DISPATCHER)
        limit.reset()
    }

    Map report(Map body) {
        http.toBlocking().retrieve(HttpRequest.POST('/citizen-reports', body), Map)
    }

    def "children at the water, reported without an account, become a located work order sent to the nearest officer"() {
        given:
        def near = DispatchData.offset(DispatchData.LON, DispatchData.LAT, 150, 90)
        long officer = data.officer(UNIT, near[0], near[1])

        when:
        def receipt = report([kind: 'CHILDREN_AT_WATER', lon: DispatchData.LON, lat: DispatchData.LAT, note: '三个孩子在台阶玩水'])
        def order = http.toBlocking().retrieve(HttpRequest.GET("/api/work-orders/$receipt.reference").bearerAuth(dispatcher), Map)

        then:
        receipt.officerSent
        order.source == 'CITIZEN' && order.reporter == 'citizen' && order.category == 'WATER_SAFETY'
        order.description.contains('有儿童在水边') && order.description.contains('三个孩子在台阶玩水')
        Math.abs(order.lon - DispatchData.LON) < 1e-9
        order.status == 'DISPATCHED' && order.officerId == officer.toString()
        order.timeline*.action == ['OPENED', 'ASSIGNED']
    }

    def "a report with #fault is a 400 naming #field"() {
        when:
        report([kind: 'PERSON_LOST', lon: 107.39, lat: 29.70] + change)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().errors*.field == [field]

        where:
        fault            | change               || field
        'an unknown kind'| [kind: 'FIRE']       || 'kind'
        'no location'    | [lon: null]          || 'lon'
        'lat 95'         | [lat: 95]            || 'lat'
    }

    def "the seventh report from one address within the window is a 429 with Retry-After"() {
        given:
        6.times { report([kind: 'PERSON_LOST', lon: 107.39, lat: 29.70]) }

        when:
        report([kind: 'PERSON_LOST', lon: 107.39, lat: 29.70])

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.TOO_MANY_REQUESTS
        (e.response.header('Retry-After') as int) > 0
    }

    def "the phone page /report sends the browser's location with the button pressed"() {
        given: 'Chromium in Chinese, its location set to central Fuling'
        def browser = new Browser(server.URL.toString().replaceAll('/$', ''))
        browser.driver.executeCdpCommand('Browser.grantPermissions', [permissions: ['geolocation'], origin: browser.base])
        browser.driver.executeCdpCommand('Emulation.setGeolocationOverride', [latitude: 29.7081, longitude: 107.3897, accuracy: 20])

        when:
        browser.open('/report')
        browser.waitUntil { browser.find('#report-location').text.contains('已获取位置') }
        browser.find('#report-note').sendKeys('一位老人在路口徘徊')
        browser.click('#report-lost')
        browser.waitUntil { browser.find('#report-result').text.contains('已收到') }
        String reference = (browser.find('#report-result').text =~ /编号 (\d+)/)[0][1]
        def order = http.toBlocking().retrieve(HttpRequest.GET("/api/work-orders/$reference").bearerAuth(dispatcher), Map)

        then:
        browser.js('return document.documentElement.lang') == 'zh-CN'
        order.category == 'CARE' && order.source == 'CITIZEN'
        order.description.contains('一位老人在路口徘徊')
        Math.abs(order.lon - 107.3897) < 1e-6 && Math.abs(order.lat - 29.7081) < 1e-6

        cleanup:
        browser?.screenshot('citizen-report')
        browser?.close()
    }
}
