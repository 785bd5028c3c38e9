package org.geoward.web

import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.security.Role
import org.openqa.selenium.By
import org.openqa.selenium.support.ui.Select

/**
 * The work orders tab in Chromium against the real server: the list filtered by status and grid with each order's
 * deadline met or late, one order's page with its place on the map and its timeline, and the steps a dispatcher
 * (analyse, order to a unit and an officer, follow up, feedback, evaluate) and the assigned officer (follow up,
 * feedback) take through the real API.
 */
@MicronautTest(transactional = false)
class WorkOrderConsoleSpec extends BrowserSpec {

    /** Somewhere in Fuling no other run has used. */
    static List<Double> freshPlace() {
        def random = new Random()
        [LON + 0.02 + random.nextDouble() * 0.03, LAT + 0.01 + random.nextDouble() * 0.01]
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
}
