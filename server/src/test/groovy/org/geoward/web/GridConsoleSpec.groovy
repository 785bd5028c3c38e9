package org.geoward.web

import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.dispatch.DispatchData
import org.geoward.security.Role
import org.openqa.selenium.By

/**
 * The grids in the console, in Chromium against the real server: the grid layer on the map, the grids tab with each
 * grid's officers in their 5+X roles and its open items, and the nearest-officers list that offers the grid's own
 * officer first and says why.
 */
@MicronautTest(transactional = false)
class GridConsoleSpec extends BrowserSpec {

    /**
     * Somewhere west of the centre, in an area of about 6 × 3 km, with no grid or work order within 800 m (this
     * spec's officers stand up to 450 m from the alert): an earlier feature's or run's grid there would answer for
     * the alert's place instead of this feature's.
     */
    List<Double> freshPlace() {
        def random = new Random()
        new DispatchData(data.dataSource).unclaimedPlace(800) {
            [LON - 0.10 + random.nextDouble() * 0.06, LAT - 0.04 + random.nextDouble() * 0.03]
        }
    }

    /** A square GRID cell of about 1.1 km around lon, lat with the officer in role; returns the grid's id. */
    String grid(String name, double lon, double lat, String officerId, String role) {
        double d = 0.005
        def answer = data.post('/api/grids/import', [type: 'FeatureCollection', features: [[type: 'Feature',
                geometry: [type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]]],
                properties: [name: name, unit: 'POLICE', officers: [[officerId: officerId, role: role]]]]]])
        assert answer.rejected == []
        String id = answer.created[0].id
        data.fences << id
        return id
    }

    def "the admin sees the grid on the map and, in the grids tab, its officer's role and its open items"() {
        given:
        def (lon, lat) = freshPlace()
        String officer = data.officer(unique('网格员 周敏'), 'POLICE', lon + 0.002, lat)
        String name = unique('江北第7网格')
        String gridId = grid(name, lon, lat, officer, 'GRID')
        String ward = data.ward(unique('陈奶奶'))
        data.sightings([ApiData.fix(ward, lon, lat, 30, [sos: true])])
        String alert = data.alertOf(ward, 'SOS')
        logInAs(Role.ADMIN)

        when:
        browser.click('#admin-tab-grids')
        def item = browser.waitFor("#grid-list li[data-grid-id='$gridId']")

        then:
        item.text.contains(name)
        item.findElement(By.cssSelector("li.grid-officer[data-officer-id='$officer']")).text.contains('网格员')
        item.findElements(By.cssSelector("li.grid-open-item[data-alert-id='$alert']")).size() == 1
        item.findElement(By.cssSelector("li.grid-open-item[data-alert-id='$alert']")).text.contains('紧急求助')
        browser.waitUntil { browser.driver.findElements(By.cssSelector('#map path.fence-grid')).size() >= 1 }

        cleanup:
        browser.screenshot('grid-01-admin-grids')
    }

    def "the dispatcher is offered the grid's own officer first, with why, before a nearer officer"() {
        given: 'a police officer 100 m from the alert, and the grid officer 400 m away'
        def (lon, lat) = freshPlace()
        String near = data.officer(unique('民警 近'), 'POLICE', lon + 0.001, lat)
        String gridOfficer = data.officer(unique('社区民警 远'), 'POLICE', lon + 0.004, lat)
        String name = unique('江北第8网格')
        grid(name, lon, lat, gridOfficer, 'COMMUNITY')
        String ward = data.ward(unique('刘爷爷'))
        data.sightings([ApiData.fix(ward, lon, lat, 30, [sos: true])])
        String alert = data.alertOf(ward, 'SOS')
        logInAs(Role.DISPATCHER)

        when:
        browser.click("button.queue-item[data-alert-id='$alert']")
        browser.waitFor("#nearest-officers tr[data-officer-id='$gridOfficer']")
        def rows = browser.driver.findElements(By.cssSelector('#nearest-officers tbody tr'))

        then:
        rows[0].getAttribute('data-officer-id') == gridOfficer
        rows[0].findElement(By.cssSelector('td.why')).text == "${name}的社区干部，优先派遣".toString()
        rows.findIndexOf { it.getAttribute('data-officer-id') == near } > 0
        rows.find { it.getAttribute('data-officer-id') == near }.findElement(By.cssSelector('td.why')).text == '本单位最近的可用人员'

        when: 'the dispatcher opens the grids tab'
        browser.click('#dispatch-tab-grids')

        then:
        browser.waitFor('#grid-list').text.contains(name)

        cleanup:
        browser.screenshot('grid-02-dispatcher-why')
    }
}
