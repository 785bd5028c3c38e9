package org.geoward.web

import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.security.Role
import org.openqa.selenium.By
import org.openqa.selenium.Dimension
import org.openqa.selenium.interactions.Actions


/**
 * The map console in a real browser (Debian's headless Chromium) against the real server and its real APIs: every
 * subject, device, fence and sighting is made through the API ({@link ApiData}), and the alerts are the evaluator's.
 * One browser for the whole class, as Chromium is slow to start. Screenshots of each view go to target/screenshots.
 */
@MicronautTest(transactional = false)
class ConsoleSpec extends BrowserSpec {

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

    def "a dispatcher who logs in sees Fuling's outline, the rivers, a scale bar and the fences from the API"() {
        given:
        data.circle(unique('滨江安全区'), 'SAFE', LON, LAT, 400)
        data.fence(unique('长江禁渔区'), 'BAN', [type: 'LineString', coordinates: [[107.36, 29.716], [107.38, 29.712], [107.40, 29.713], [107.42, 29.718]]],
                [bufferMeters: 150, dwellMinutes: 30])
        data.fence(unique('乌江危险区'), 'DANGER', [type: 'Polygon', coordinates: [[[107.392, 29.690], [107.400, 29.690], [107.400, 29.698], [107.392, 29.698], [107.392, 29.690]]]])

        when:
        logInAs(Role.DISPATCHER)

        then:
        browser.find('#who').text.contains('调度员')
        browser.driver.findElements(By.cssSelector('#map path.river-line')).size() >= 1
        browser.find('.leaflet-control-scale').displayed
        browser.waitUntil { browser.driver.findElements(By.cssSelector('#map path.fence-safe')).size() >= 1 }
        browser.driver.findElements(By.cssSelector('#map path.fence-ban')).size() >= 1
        browser.driver.findElements(By.cssSelector('#map path.fence-danger')).size() >= 1

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

    def "a ward leaving the safe zone shows up live as WANDER, and one click assigns the nearest officer"() {
        given: 'a ward at home inside a 300 m safe circle, and a police officer near where the ward will go'
        double lon = LON + 0.02, lat = LAT - 0.012
        String ward = data.ward(unique('王奶奶'))
        data.circle(unique('王奶奶的家'), 'SAFE', lon, lat, 300, [ward])
        data.sightings([ApiData.fix(ward, lon, lat, 600)])
        String officer = data.officer(unique('李警官'), 'POLICE', lon + 0.0105, lat + 0.0001)

        and: 'a dispatcher watching; the stream answers with its first event, so give it a moment to subscribe'
        logInAs(Role.DISPATCHER)
        browser.waitFor('#live-state.up')
        browser.js('window.noReloadMark = true')
        sleep(1500)

        when: 'the ward is seen 1 km east, alone'
        data.sightings([ApiData.fix(ward, lon + 0.0103, lat, 60)])
        String alert = data.alertOf(ward, 'WANDER')
        def row = browser.waitFor("button.queue-item[data-alert-id='$alert']")

        then: 'it is in the queue and on the map, without a reload'
        row.text.contains('王奶奶')
        row.text.contains('走失')
        browser.waitForPresent(".alert-marker.alert-wander.alert-id-$alert")
        browser.js('return window.noReloadMark') == true
        browser.find('#live-state.up').text.contains('实时')   // the alert came down the SSE stream

        when:
        row.click()
        browser.waitFor("#nearest-officers tr[data-officer-id='$officer'] button.assign")
        browser.waitForPresent('#map path.recent-trail')
        browser.screenshot('04-dispatcher-alert-detail')
        browser.find("#nearest-officers tr[data-officer-id='$officer'] button.assign").click()

        then:
        browser.waitUntil { browser.find('#detail-status').text == '已派遣' }
        browser.find('#detail-officer').text.contains('李警官')
        browser.waitUntil { browser.find("button.queue-item[data-alert-id='$alert'] .status").text == '已派遣' }
        data.get("/api/alerts/$alert").properties.status == 'DISPATCHED'
        data.get("/api/alerts/$alert").properties.assignedOfficerId == officer
        browser.find('#timeline').text.contains('派遣')
        !browser.find('#timeline').text.contains('ASSIGNED')

        cleanup:
        browser.screenshot('05-dispatcher-assigned')
    }

    def "a GCJ-02 basemap setting moves a marker in Fuling by the eviltransform offset, 300 to 600 m"() {
        given: 'an SOS alert, and the map centred on it at zoom 16'
        String ward = data.ward(unique('张爷爷'))
        data.sightings([ApiData.fix(ward, LON, LAT, 30, [sos: true])])
        String alert = data.alertOf(ward, 'SOS')
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
    List<Double> markerCentre(String alert, String crs) {
        browser.js("localStorage.setItem('geoward.settings', JSON.stringify({tileCrs: arguments[0], center: [arguments[1], arguments[2]], zoom: 16}))",
                crs, LAT, LON)
        browser.open('/')
        browser.waitForPresent('#map path.district-outline')
        browser.waitFor("button.queue-item[data-alert-id='$alert']")
        String marker = ".alert-marker.alert-id-$alert"
        browser.waitFor(marker)
        def rect = browser.js('''const r = document.querySelector(arguments[0]).getBoundingClientRect();
                                 return [r.left + r.width / 2, r.top + r.height / 2];''', marker) as List
        rect.collect { it as double }
    }

    def "a family member sees only their ward, in Chinese by default, and can switch to English"() {
        given: 'their ward wandered off and came back; someone else\'s ward has an open alert'
        def (username, password) = account(Role.FAMILY)
        double lon = LON - 0.01, lat = LAT + 0.004
        String mine = data.ward(unique('刘奶奶'))
        String other = data.ward(unique('别人家的老人'))
        data.wardOf(username, mine)
        data.circle(unique('刘奶奶的家'), 'SAFE', lon, lat, 200, [mine])
        data.sightings([ApiData.fix(mine, lon, lat, 3600), ApiData.fix(mine, lon + 0.006, lat, 3000),
                        ApiData.fix(mine, lon, lat, 2400), ApiData.fix(mine, lon + 0.0082, lat + 0.001, 300, [battery: 64])])
        data.sightings([ApiData.fix(other, LON + 0.01, LAT, 60, [sos: true])])
        browser.driver.manage().window().setSize(new Dimension(390, 844))

        when:
        browser.logIn(username, password)
        browser.waitFor("#wards li.ward[data-subject-id='$mine']")
        browser.waitForPresent('.alert-marker.alert-wander')

        then: 'only their ward, with when and where it was last seen'
        browser.js('return document.documentElement.lang') == 'zh-CN'
        browser.driver.findElements(By.cssSelector('#wards li.ward')).size() == 1
        browser.find('#wards').text.contains('刘奶奶')
        browser.find('#wards').text.contains('最后出现')
        browser.find('#wards').text.contains('电量: 64%')
        browser.find('#notices').text.contains('已回到安全区')
        !browser.find('#side').text.contains('别人家的老人')
        browser.driver.findElements(By.cssSelector('.alert-marker.alert-sos')).isEmpty()
        browser.screenshot('07-family-phone-zh')

        when:
        browser.find('#language').findElement(By.cssSelector('option[value=en]')).click()
        browser.waitFor("#wards li.ward[data-subject-id='$mine']")

        then:
        browser.waitUntil { browser.find('#wards').text.contains('Last seen') }
        browser.find('#wards-title').text == 'My wards'
        browser.find('#notices').text.contains('Back in the safe zone')
        browser.find('#logout').text == 'Log out'

        cleanup:
        browser.screenshot('08-family-phone-en')
    }

    def "an officer sees ban zones and loiter alerts with the dwell time counting"() {
        given: 'a boat 40 minutes in a ban corridor with a 30-minute limit: LOITER opened 10 minutes ago'
        String visitor = data.subject('VISITOR', unique('渔船 A'))
        String ban = data.fence(unique('长江涪陵段禁渔区'), 'BAN', [type: 'LineString', coordinates: [[107.37, 29.712], [107.39, 29.711], [107.41, 29.715]]],
                [bufferMeters: 200, dwellMinutes: 30, subjects: [visitor]])
        data.sightings((0..8).collect { ApiData.fix(visitor, 107.39, 29.7112, 2400 - it * 300) })
        String alert = data.alertOf(visitor, 'LOITER', ban)

        when: 'a fisheries officer logs in (officers see the alert types their unit answers)'
        String fisheries = data.subject('OFFICER', unique('何清'), [unit: 'FISHERIES', travelMode: 'BOAT'])
        logInAs(Role.OFFICER, fisheries as Long)
        def row = browser.waitFor("button.queue-item[data-alert-id='$alert']")

        then: 'the dwell counts from the episode start, 40 minutes ago'
        row.displayed
        browser.waitUntil { browser.find("button.queue-item[data-alert-id='$alert'] .dwell").text =~ /停留时间: 40分钟/ }
        browser.driver.findElements(By.cssSelector('#map path.fence-ban')).size() >= 1
        browser.driver.findElements(By.cssSelector('#map path.fence-safe')).isEmpty()

        cleanup:
        browser.screenshot('09-officer')
    }

    def "an admin draws a polygon fence in the editor, saves it, and the API returns it"() {
        given:
        logInAs(Role.ADMIN)
        browser.find('#admin-tab-fences').click()
        browser.waitFor('#fence-editor')
        assert browser.find('.leaflet-draw-draw-circle').displayed
        assert browser.find('.leaflet-draw-draw-polyline').displayed
        String name = unique('新建危险区')
        Map saved = null

        when: 'three clicks on the map and Finish'
        browser.find('.leaflet-draw-draw-polygon').click()
        def map = browser.find('#map')
        [[-120, -80], [100, -60], [20, 110]].each { xy ->
            new Actions(browser.driver).moveToElement(map, xy[0], xy[1]).click().perform()
            sleep(150)
        }
        browser.waitFor('.leaflet-draw-actions a[title="Finish drawing"]').click()
        browser.find('#fence-name').sendKeys(name)
        browser.find('#fence-kind').findElement(By.cssSelector('option[value=DANGER]')).click()
        browser.find('#fence-save').click()

        then:
        browser.waitUntil { browser.find('#fence-message').text == '已保存' }
        (saved = (data.get('/api/fences') as Map).features.find { it.properties.name == name }) != null
        saved.geometry.type == 'Polygon'
        saved.geometry.coordinates[0].size() == 4
        saved.geometry.coordinates[0][0] == saved.geometry.coordinates[0][3]
        saved.properties.kind == 'DANGER'
        saved.geometry.coordinates[0].every { Math.abs(it[0] - 107.39) < 0.5 && Math.abs(it[1] - 29.71) < 0.5 }
        browser.waitUntil { browser.driver.findElements(By.cssSelector('#map path.fence-danger')).size() >= 1 }

        cleanup:
        browser.screenshot('10-admin-editor')
        if (saved) data.retireFences([saved.properties.id as String])
    }
}
