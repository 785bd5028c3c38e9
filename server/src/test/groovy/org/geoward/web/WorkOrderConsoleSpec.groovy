package org.geoward.web

import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.dispatch.DispatchData
import org.geoward.security.Role
import org.openqa.selenium.By
import org.openqa.selenium.interactions.Actions
import org.openqa.selenium.support.ui.Select

/**
 * The work orders tab in Chromium against the real server: the list filtered by status and grid with each order's
 * deadline met or late, one order's page with its place on the map and its timeline, and the steps a dispatcher
 * (analyse, order to a unit and an officer, follow up, feedback, evaluate) and the assigned officer (follow up,
 * feedback) take through the real API; a new order reported from the console with its place clicked on the map, and
 * one raised from an alert's panel, linked both ways.
 */
@MicronautTest(transactional = false)
class WorkOrderConsoleSpec extends BrowserSpec {

    /**
     * Somewhere east of the centre with no grid or work order within 600 m (a grid here is ±330 m): an earlier
     * feature's or run's resolved order inside this feature's grid would show under its filters.
     */
    List<Double> freshPlace() {
        def random = new Random()
        new DispatchData(data.dataSource).unclaimedPlace(600) {
            [LON + 0.02 + random.nextDouble() * 0.06, LAT + 0.01 + random.nextDouble() * 0.02]
        }
    }

    /** A work order reported by the admin about a new ward at lon, lat; returns its id. */
    String workOrder(String description, double lon, double lat, String category = 'SAFETY') {
        String ward = data.ward(unique('王奶奶'))
        data.post('/api/work-orders', [category: category, description: description, lon: lon, lat: lat, subjectId: ward]).id as String
    }

    void sql(String statement, List params) {
        def c = data.dataSource.connection
        try {
            def ps = c.prepareStatement(statement)
            params.eachWithIndex { p, i -> ps.setObject(i + 1, p) }
            ps.executeUpdate()
        } finally {
            c.close()
        }
    }

    void choose(String css, String value) {
        browser.waitUntil { browser.find(css).findElements(By.cssSelector("option[value='$value']")).size() == 1 }
        new Select(browser.find(css)).selectByValue(value)
    }

    /** The actions of the page's timeline, oldest first. */
    List<String> timeline() {
        browser.driver.findElements(By.cssSelector('#work-order-timeline li'))*.getAttribute('data-action')
    }

    /** Submits the step form key and waits until the timeline shows action. */
    void step(String key, String action) {
        browser.click("#wo-$key-submit")
        browser.waitUntil { browser.driver.findElements(By.cssSelector("#work-order-timeline li[data-action='$action']")).size() >= 1 }
    }

    def "a dispatcher opens a work order, sees where it is, and takes it from analysis to evaluation, each step on the timeline with who"() {
        given:
        def (lon, lat) = freshPlace()
        String description = unique('护栏损坏')
        String id = workOrder(description, lon, lat)
        String officer = data.officer(unique('民警 李强'), 'POLICE', lon + 0.001, lat)
        def (username, password) = account(Role.DISPATCHER)
        browser.logIn(username, password)
        browser.waitForPresent('#map path.district-outline')

        when: 'the dispatcher opens the work orders tab and the order'
        browser.click('#dispatch-tab-workorders')
        browser.click("#work-order-list li[data-work-order-id='$id'] button.work-order-open")
        browser.waitFor("#work-order-page[data-work-order-id='$id']")

        then: 'the page says what and when, the map marks where, and the timeline starts with the report'
        browser.find('#work-order-title').text.contains('安全隐患')
        browser.find('#work-order-page').text.contains(description)
        browser.find('#work-order-deadline').findElement(By.cssSelector('.deadline')).getAttribute('data-deadline') == 'open'
        browser.waitForPresent('#map path.work-order-here')
        timeline() == ['OPENED']
        browser.find('#work-order-timeline li').text.contains('上报')

        when: 'analysed as HIGH, ordered to the police and to the officer, followed up, answered and rated 4'
        choose('#wo-analyse-severity', 'HIGH')
        step('analyse', 'ANALYSED')
        choose('#wo-order-unit', 'POLICE')
        step('order', 'ORDERED')
        choose('#wo-assign-officer', officer)
        step('assign', 'ASSIGNED')
        browser.find('#wo-follow-up-note').sendKeys('已联系社区')
        step('follow-up', 'FOLLOWED_UP')
        browser.find('#wo-feedback-result').sendKeys('护栏已修复')
        step('feedback', 'FEEDBACK')
        choose('#wo-evaluate-rating', '4')
        step('evaluate', 'EVALUATED')

        then: 'every step is on the timeline in order, by the dispatcher, and the server has them all'
        timeline().findAll { it != 'ACCEPTED' } == ['OPENED', 'ANALYSED', 'ORDERED', 'ASSIGNED', 'FOLLOWED_UP', 'FEEDBACK', 'RESOLVED', 'EVALUATED']
        browser.find("#work-order-timeline li[data-action='ANALYSED']").text.contains(username)
        browser.find("#work-order-timeline li[data-action='ANALYSED']").text.contains('高')
        browser.find("#work-order-timeline li[data-action='ORDERED']").text.contains('公安')
        browser.find("#work-order-timeline li[data-action='FOLLOWED_UP']").text.contains('已联系社区')
        browser.find('#work-order-page').getAttribute('data-status') == 'RESOLVED'
        browser.find('#work-order-deadline .deadline').text == '按时办结'
        browser.find("dd[data-fact='rating']").text.startsWith('4分')
        browser.driver.findElements(By.cssSelector('#wo-analyse, #wo-feedback, #wo-evaluate')).isEmpty()
        Map saved = data.get("/api/work-orders/$id") as Map
        saved.severity == 'HIGH'
        saved.unit == 'POLICE'
        saved.officerId == officer
        saved.result == '护栏已修复'
        saved.rating == 4
        saved.ratedBy == username
        (saved.timeline as List<Map>).findAll { it.action in ['ANALYSED', 'ORDERED', 'FOLLOWED_UP', 'FEEDBACK', 'EVALUATED'] }*.actor.unique() == [username]

        cleanup:
        browser.screenshot('workorder-01-evaluated')
    }

    def "the list shows a late order as late, and the status and grid filters show only what they select"() {
        given: 'a grid with a late order inside and an on-time order outside it'
        def (lon, lat) = freshPlace()
        double d = 0.003
        def answer = data.post('/api/grids/import', [type: 'FeatureCollection', features: [[type: 'Feature',
                geometry: [type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]]],
                properties: [name: unique('江北第9网格'), unit: 'POLICE', officers: []]]]])
        String grid = answer.created[0].id
        data.fences << grid
        String late = workOrder(unique('井盖缺失'), lon, lat)
        sql('UPDATE work_order SET deadline = now() - interval \'1 hour\' WHERE alert_id = ?', [late as long])
        String outside = workOrder(unique('路灯不亮'), lon + 0.02, lat, 'FACILITY')
        logInAs(Role.ADMIN)

        when:
        browser.click('#admin-tab-workorders')
        browser.waitFor("#work-order-list li[data-work-order-id='$late']")

        then:
        browser.find("#work-order-list li[data-work-order-id='$late'] .deadline").getAttribute('data-deadline') == 'late'
        browser.find("#work-order-list li[data-work-order-id='$late'] .deadline").text == '超时'
        browser.find("#work-order-list li[data-work-order-id='$outside'] .deadline").getAttribute('data-deadline') == 'open'
        browser.driver.findElements(By.cssSelector('path.work-order-marker')).size() >= 2

        when: 'only the grid'
        choose('#work-order-grid', grid)

        then:
        browser.waitUntil { browser.driver.findElements(By.cssSelector("#work-order-list li[data-work-order-id='$outside']")).isEmpty() }
        browser.driver.findElements(By.cssSelector("#work-order-list li[data-work-order-id='$late']")).size() == 1

        when: 'only resolved ones in it'
        choose('#work-order-status', 'RESOLVED')

        then:
        browser.waitUntil { browser.driver.findElements(By.cssSelector("#work-order-list li[data-work-order-id='$late']")).isEmpty() }
        browser.find('#work-order-list').text.contains('没有符合条件的工单')

        cleanup:
        browser.screenshot('workorder-02-filters')
        sql("UPDATE alert SET status = 'RESOLVED', resolved_at = now() WHERE id IN (?, ?)", [late as long, outside as long])
    }

    def "the assigned officer may follow up and answer a work order, but not analyse or order it"() {
        given:
        def (lon, lat) = freshPlace()
        String id = workOrder(unique('河边有小孩玩水'), lon, lat, 'WATER_SAFETY')
        String officer = data.officer(unique('渔政 张伟'), 'POLICE', lon + 0.001, lat)
        data.post("/api/alerts/$id/assign", [officerId: officer])
        logInAs(Role.OFFICER, officer as Long)

        when:
        browser.click('#officer-tab-workorders')
        browser.click("#work-order-list li[data-work-order-id='$id'] button.work-order-open")
        browser.waitFor("#work-order-page[data-work-order-id='$id']")

        then:
        browser.driver.findElements(By.cssSelector('#wo-follow-up')).size() == 1
        browser.driver.findElements(By.cssSelector('#wo-feedback')).size() == 1
        browser.driver.findElements(By.cssSelector('#wo-analyse, #wo-order, #wo-assign')).isEmpty()

        when:
        browser.find('#wo-feedback-result').sendKeys('已劝离')
        step('feedback', 'RESOLVED')

        then:
        browser.find('#work-order-page').getAttribute('data-status') == 'RESOLVED'
        (data.get("/api/work-orders/$id") as Map).result == '已劝离'

        cleanup:
        browser.screenshot('workorder-03-officer')
    }

    /**
     * An offset from the map's centre where a click reaches the map itself: no marker, popup, tooltip or control of
     * an earlier feature's or run's subjects and alerts lies there (a Leaflet marker takes its click for itself).
     */
    List<Integer> freeMapPoint() {
        List<List<Integer>> candidates = []
        for (int ring = 1; ring <= 6; ring++) {
            for (int k = 0; k < 8; k++) {
                double a = Math.PI / 4 * k + ring * 0.4
                candidates << [(int) Math.round(Math.cos(a) * 30 * ring), (int) Math.round(Math.sin(a) * 22 * ring)]
            }
        }
        def found = browser.driver.executeScript('''
            const map = document.getElementById('map');
            const r = map.getBoundingClientRect();
            for (const [dx, dy] of arguments[0]) {
                const el = document.elementFromPoint(r.left + r.width / 2 + dx, r.top + r.height / 2 + dy);
                if (el && map.contains(el)
                        && !el.closest('.leaflet-marker-icon, .leaflet-popup, .leaflet-tooltip, .leaflet-control')) {
                    return [dx, dy];
                }
            }
            return null;''', candidates)
        assert found != null: 'every candidate point near the map centre is under a marker, popup or control'
        return found.collect { it as int }
    }

    void type(String css, String text) {
        def el = browser.find(css)
        el.clear()
        el.sendKeys(text)
    }

    def "a dispatcher reports a work order placed by a click on the map, is told what the server refuses, and its page opens"() {
        given:
        String wardName = unique('孙奶奶')
        String ward = data.ward(wardName)
        String description = unique('楼道堆放杂物')
        def (username, password) = account(Role.DISPATCHER)
        browser.logIn(username, password)
        browser.waitForPresent('#map path.district-outline')
        browser.click('#dispatch-tab-workorders')

        when: 'the report form is opened and sent with no place yet'
        browser.click('#work-order-new')
        browser.waitFor('#wo-report')
        choose('#wo-report-category', 'FACILITY')
        browser.find('#wo-report-description').sendKeys(description)
        choose('#wo-report-subject', ward)
        browser.click('#wo-report-submit')

        then: "the server's answer is shown under the longitude, which is marked invalid and has the focus"
        browser.waitUntil { browser.find('#wo-report-lon-error').text.contains('lon is required') }
        browser.find('#wo-report-lon').getAttribute('aria-invalid') == 'true'
        browser.find('#wo-report-message').text.contains('经度')
        browser.driver.switchTo().activeElement().getAttribute('id') == 'wo-report-lon'

        when: 'the place is clicked on the map, and a photo that is no web address given'
        def (int dx, int dy) = freeMapPoint()
        new Actions(browser.driver).moveToElement(browser.find('#map'), dx, dy).click().perform()
        browser.waitUntil { browser.find('#wo-report-lon').getAttribute('value') != '' }
        browser.find('#wo-report-photo').sendKeys('ftp://photos.example/1.jpg')
        browser.click('#wo-report-submit')

        then: "the map marks the place, and the photo's fault is shown under it"
        browser.waitForPresent('#map path.work-order-new-place')
        browser.find('#wo-report-picked').text.contains(browser.find('#wo-report-lon').getAttribute('value'))
        browser.waitUntil { browser.find('#wo-report-photo-error').text.contains('photos[0] must be an http(s) URL') }
        browser.find('#wo-report-lon-error').text == ''

        when: 'the photo is made a web address'
        double lon = browser.find('#wo-report-lon').getAttribute('value') as double
        double lat = browser.find('#wo-report-lat').getAttribute('value') as double
        type('#wo-report-photo', 'https://photos.example/stairs.jpg')
        browser.click('#wo-report-submit')
        browser.waitFor('#work-order-page')

        then: "the new order's page opens, and the server has what the form said, by the dispatcher, at the clicked place"
        String id = browser.find('#work-order-page').getAttribute('data-work-order-id')
        Map saved = data.get("/api/work-orders/$id") as Map
        saved.category == 'FACILITY'
        saved.description == description
        saved.photos == ['https://photos.example/stairs.jpg']
        saved.subjectId == ward
        saved.source == 'DISPATCHER'
        saved.reporter == username
        Math.abs((saved.lon as double) - lon) < 1e-6
        Math.abs((saved.lat as double) - lat) < 1e-6
        lon > 106.9 && lon < 107.8 && lat > 29.3 && lat < 30.1   // in Fuling, where the map opens
        browser.find('#work-order-title').text.contains('公共设施')
        browser.find('#work-order-page').text.contains(description)
        browser.driver.findElements(By.cssSelector('#work-order-page .work-order-photos img'))*.getAttribute('src') == ['https://photos.example/stairs.jpg']
        timeline() == ['OPENED']
        browser.driver.findElements(By.cssSelector('#map path.work-order-new-place')).isEmpty()

        cleanup:
        browser.screenshot('workorder-04-reported')
        if (id) sql("UPDATE alert SET status = 'RESOLVED', resolved_at = now() WHERE id = ?", [id as long])
    }

    def "a dispatcher raises a work order from an alert's panel; the order names the alert and the alert's timeline opens it"() {
        given: 'an SOS from a ward'
        def (lon, lat) = freshPlace()
        String wardName = unique('钱爷爷')
        String ward = data.ward(wardName)
        data.sightings([ApiData.fix(ward, lon, lat, 30, [sos: true])])
        String alert = data.alertOf(ward, 'SOS')
        logInAs(Role.DISPATCHER)

        when: 'the alert is opened: the raise form guesses the category from the alert type'
        browser.click("button.queue-item[data-alert-id='$alert']")
        browser.waitFor("#alert-detail[data-alert-id='$alert'] #raise-work-order")

        then:
        new Select(browser.find('#raise-category')).firstSelectedOption.getAttribute('value') == 'SAFETY'
        browser.find('#raise-work-order legend').text == '转为工单'

        when: 'raised as CARE with a description'
        choose('#raise-category', 'CARE')
        browser.find('#raise-description').sendKeys('独居老人，需社区回访')
        browser.click('#raise-submit')

        then: "the alert's timeline says so, with a link to the order"
        browser.waitFor("#timeline li[data-action='WORK_ORDER_RAISED'] button.open-work-order")
        browser.find("#timeline li[data-action='WORK_ORDER_RAISED']").text.contains('转为工单')
        String id = browser.find("#timeline li[data-action='WORK_ORDER_RAISED'] button.open-work-order").getAttribute('data-work-order-id')
        Map order = data.get("/api/work-orders/$id") as Map
        order.sourceAlertId == alert
        order.source == 'ALERT'
        order.category == 'CARE'
        order.description == '独居老人，需社区回访'
        order.subjectId == ward
        Math.abs((order.lon as double) - lon) < 1e-6

        when: 'the link is followed'
        browser.click("#timeline li[data-action='WORK_ORDER_RAISED'] button.open-work-order")

        then: "the work orders tab shows the order's page, from an alert"
        browser.waitFor("#work-order-page[data-work-order-id='$id']")
        browser.find('#dispatch-tab-workorders').getAttribute('aria-selected') == 'true'
        browser.find("dd[data-fact='source']").text == '由警报转来'
        browser.find("dd[data-fact='description']").text == '独居老人，需社区回访'

        cleanup:
        browser.screenshot('workorder-05-raised-from-alert')
        if (id) sql("UPDATE alert SET status = 'RESOLVED', resolved_at = now() WHERE id IN (?, ?)", [id as long, alert as long])
    }

    def "in English the report form and the raise form speak English, and a refusal is shown as the server says it"() {
        given:
        String ward = data.ward(unique('Grandma Li'))
        def (lon, lat) = freshPlace()
        data.sightings([ApiData.fix(ward, lon, lat, 30, [sos: true])])
        String alert = data.alertOf(ward, 'SOS')
        logInAs(Role.ADMIN)
        browser.find('#language').findElement(By.cssSelector('option[value=en]')).click()
        browser.waitUntil { browser.find('#admin-tab-workorders').text == 'Work orders' }

        when:
        browser.click('#admin-tab-workorders')
        browser.click('#work-order-new')

        then: 'every control has an English label'
        browser.find('#wo-report-title').text == 'Report a work order'
        ['wo-report-category': 'Category', 'wo-report-lon': 'Longitude', 'wo-report-lat': 'Latitude', 'wo-report-description': 'Description',
         'wo-report-photo': 'Photo URL', 'wo-report-subject': 'Person concerned'].every { id, text ->
            browser.find("label[for='$id']").text == text
        }
        browser.find('#wo-report-subject option[value=""]').text == 'Choose one'

        when: 'sent with a place typed in but no person, by an admin with no subject of their own'
        type('#wo-report-lon', String.valueOf(lon))
        type('#wo-report-lat', String.valueOf(lat))
        browser.click('#wo-report-submit')

        then:
        browser.waitUntil { browser.find('#wo-report-subject-error').text.contains('subjectId is required') }
        browser.find('#wo-report-message').text.contains('Person concerned')

        when: 'the alert is opened in the alerts tab'
        browser.click('#wo-report-cancel')
        browser.click('#admin-tab-alerts')
        browser.click("button.queue-item[data-alert-id='$alert']")

        then:
        browser.waitFor('#raise-work-order legend').text == 'Raise a work order'
        browser.find("label[for='raise-category']").text == 'Category'
        browser.find('#raise-submit').text == 'Raise the work order'

        cleanup:
        browser.screenshot('workorder-06-english')
        sql("UPDATE alert SET status = 'RESOLVED', resolved_at = now() WHERE id = ?", [alert as long])
    }
}
