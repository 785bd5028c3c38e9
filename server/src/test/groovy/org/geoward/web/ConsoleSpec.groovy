package org.geoward.web

import io.micronaut.context.annotation.Property
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.User
import org.geoward.security.UserRepository
import org.openqa.selenium.By
import spock.lang.Shared
import spock.lang.Specification

import javax.sql.DataSource

/**
 * The map console in a real browser (Debian's headless Chromium) against the real server. Data comes from SQL
 * inserts; where the alert, fence and subject APIs have not landed yet, {@link StubApi} answers in their shapes.
 * Screenshots of each view go to target/screenshots.
 */
@MicronautTest(transactional = false)
@Property(name = StubApi.FLAG, value = 'true')
class ConsoleSpec extends Specification {
    static final double LON = 107.3895, LAT = 29.7080   // central Fuling, by the Yangtze

    @Inject EmbeddedServer server
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource

    @Shared Browser browser
    WebData data

    def setup() {
        browser = browser ?: new Browser(server.URL.toString().replaceAll('/$', ''))
        data = new WebData(dataSource)
        browser.fresh()
    }

    def cleanupSpec() {
        browser?.close()
    }

    /** A new user with role; returns [username, password]. */
    List<String> account(Role role) {
        String username = "${role.name().toLowerCase()}-${UUID.randomUUID().toString().take(8)}".toString()
        String password = 'pw-' + username
        users.save(new User(null, username, hasher.hash(password), role, null))
        [username, password]
    }

    void logInAs(Role role) {
        def (u, p) = account(role)
        browser.logIn(u, p)
        browser.waitForPresent('#map path.district-outline')
    }

    def "the login page speaks Chinese by default"() {
        when:
        def title = browser.waitFor('#login-title')

        then:
        browser.js('return document.documentElement.lang') == 'zh-CN'
        browser.find('#login-submit').text == '登录'
        browser.find('label[for=username]').text == '用户名'
        title.text.contains('Geoward')

        cleanup:
        browser.screenshot('01-login-zh')
    }

    def "wrong credentials are refused with a message"() {
        when:
        browser.logIn('nobody', 'wrong')

        then:
        browser.waitUntil { browser.find('#login-error').text == '用户名或密码错误' }
    }

    def "a dispatcher who logs in sees the map with Fuling's outline, the rivers and a scale bar"() {
        given:
        data.fence('滨江安全区', 'SAFE', "POINT($LON $LAT)", [radius: 400])
        data.fence('长江禁渔区', 'BAN', 'LINESTRING(107.36 29.716, 107.38 29.712, 107.40 29.713, 107.42 29.718)', [buffer: 150, dwell: 30])
        data.fence('乌江危险区', 'DANGER', 'POLYGON((107.392 29.690, 107.400 29.690, 107.400 29.698, 107.392 29.698, 107.392 29.690))')

        when:
        logInAs(Role.DISPATCHER)

        then:
        browser.find('#who').text.contains('调度员')
        browser.driver.findElements(By.cssSelector('#map path.river-line')).size() >= 1
        browser.find('.leaflet-control-scale').displayed
        browser.waitUntil { browser.driver.findElements(By.cssSelector('#map path.fence')).size() >= 3 }

        cleanup:
        browser.screenshot('02-dispatcher-map')
    }

    def "switching to English changes the labels"() {
        given:
        logInAs(Role.DISPATCHER)
        assert browser.find('#logout').text == '退出'

        when:
        browser.find('#language').findElement(By.cssSelector('option[value=en]')).click()

        then:
        browser.waitUntil { browser.find('#logout').text == 'Log out' }
        browser.js('return document.documentElement.lang') == 'en'
        browser.find('#alert-queue').getAttribute('aria-label') == 'Alert queue'
        browser.find('#who').text.contains('Dispatcher')

        cleanup:
        browser.screenshot('03-dispatcher-en')
    }

    def "an alert inserted into the database appears in the queue, and one click assigns the nearest officer"() {
        given:
        long ward = data.ward('王奶奶', LON + 0.004, LAT - 0.002)
        long alert = data.alert('WANDER', ward, LON + 0.004, LAT - 0.002)
        long officer = data.officer('李警官', 'POLICE', LON + 0.0045, LAT - 0.0021)

        when:
        logInAs(Role.DISPATCHER)
        def row = browser.waitFor("button.queue-item[data-alert-id='$alert']")

        then:
        row.text.contains('王奶奶')
        row.text.contains('走失')
        browser.driver.findElements(By.cssSelector('.alert-marker.alert-wander')).size() >= 1

        when:
        row.click()
        browser.waitFor("#nearest-officers tr[data-officer-id='$officer'] button.assign")
        browser.screenshot('04-dispatcher-alert-detail')
        browser.find("#nearest-officers tr[data-officer-id='$officer'] button.assign").click()

        then:
        browser.waitUntil { browser.find('#detail-status').text == '已派遣' }
        data.status(alert) == 'DISPATCHED'

        cleanup:
        browser.screenshot('05-dispatcher-assigned')
    }

    def "a GCJ-02 basemap setting moves a marker in Fuling by the eviltransform offset, 300 to 600 m"() {
        given: 'an alert, and the map centred on it at zoom 16'
        long alert = data.alert('SOS', data.ward('张爷爷'), LON, LAT)
        logInAs(Role.DISPATCHER)

        when:
        def wgs = markerCentre(alert, 'WGS84')
        def gcj = markerCentre(alert, 'GCJ02')
        double metresPerPixel = 40075016.686 * Math.cos(Math.toRadians(LAT)) / (256 * Math.pow(2, 16))
        double moved = Math.hypot(gcj[0] - wgs[0], gcj[1] - wgs[1]) * metresPerPixel
        double expected = browser.asyncJs('''
            const done = arguments[arguments.length - 1];
            import('/js/map/gcj02.js').then(({ wgs84ToGcj02 }) => {
                const [lon, lat] = wgs84ToGcj02(arguments[0], arguments[1]);
                const r = 6371008.8, rad = Math.PI / 180;
                const dy = (lat - arguments[1]) * rad * r, dx = (lon - arguments[0]) * rad * r * Math.cos(arguments[1] * rad);
                done(Math.hypot(dx, dy));
            });''', LON, LAT) as double

        then:
        expected > 300 && expected < 600
        Math.abs(moved - expected) < 15
        gcj[0] > wgs[0]   // in Fuling GCJ-02 lies east (+0.0046°) and south (−0.0025°) of WGS 84
        gcj[1] > wgs[1]

        cleanup:
        browser.screenshot('06-gcj02')
    }

    /** The screen centre of alert's marker with the basemap in crs. */
    List<Double> markerCentre(long alert, String crs) {
        browser.js("localStorage.setItem('geoward.settings', JSON.stringify({tileCrs: arguments[0], center: [arguments[1], arguments[2]], zoom: 16}))",
                crs, LAT, LON)
        browser.open('/')
        browser.waitForPresent('#map path.district-outline')
        browser.waitFor("button.queue-item[data-alert-id='$alert']")
        browser.waitFor('.alert-marker.alert-sos')
        def rect = browser.js('''const r = document.querySelector('.alert-marker.alert-sos').getBoundingClientRect();
                                 return [r.left + r.width / 2, r.top + r.height / 2];''') as List
        rect.collect { it as double }
    }

    def "a family member sees only their ward, with when it was last seen"() {
        given:
        def (username, password) = account(Role.FAMILY)
        long mine = data.ward('刘奶奶', LON - 0.01, LAT + 0.004)
        long other = data.ward('别人家的老人', LON + 0.01, LAT)
        data.wardOf(username, mine)
        data.fence('刘奶奶的家', 'SAFE', "POINT(${LON - 0.01} ${LAT + 0.004})", [radius: 200, subjects: [mine]])
        data.alert('OFFLINE', other, LON + 0.01, LAT)
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844))

        when:
        browser.logIn(username, password)
        browser.waitFor("#wards li.ward[data-subject-id='$mine']")

        then:
        browser.driver.findElements(By.cssSelector('#wards li.ward')).size() == 1
        browser.find('#wards').text.contains('刘奶奶')
        browser.find('#wards').text.contains('最后出现')
        !browser.find('#side').text.contains('别人家的老人')

        cleanup:
        browser.screenshot('07-family-phone')
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 900))
    }

    def "an officer sees ban zones and loiter alerts with the dwell time counting"() {
        given:
        long ban = data.fence('长江涪陵段禁渔区', 'BAN', 'LINESTRING(107.37 29.712, 107.39 29.711, 107.41 29.715)', [buffer: 200, dwell: 30])
        long visitor = data.ward('钓鱼者 A')
        long alert = data.alert('LOITER', visitor, 107.39, 29.7112, ban)

        when:
        logInAs(Role.OFFICER)
        def row = browser.waitFor("button.queue-item[data-alert-id='$alert']")

        then: 'opened five minutes ago after a 30-minute limit: about 35 minutes of dwell'
        row.findElement(By.cssSelector('.dwell')).text =~ /停留时间: 3[45]分钟/
        browser.driver.findElements(By.cssSelector('#map path.fence-ban')).size() >= 1
        browser.driver.findElements(By.cssSelector('#map path.fence-safe')).isEmpty()

        cleanup:
        browser.screenshot('08-officer')
    }

    def "an admin gets the fence editor with drawing tools"() {
        when:
        logInAs(Role.ADMIN)

        then:
        browser.waitFor('#fence-editor')
        browser.find('.leaflet-draw-draw-polygon').displayed
        browser.find('.leaflet-draw-draw-circle').displayed
        browser.find('.leaflet-draw-draw-polyline').displayed

        cleanup:
        browser.screenshot('09-admin-editor')
    }
}
