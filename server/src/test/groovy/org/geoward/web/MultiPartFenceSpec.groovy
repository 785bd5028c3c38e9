package org.geoward.web

import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.security.Role
import org.openqa.selenium.By
import org.openqa.selenium.WebElement
import org.openqa.selenium.interactions.Actions

/**
 * Multi-part fences in the editor, in Chromium against the real server: a MultiPolygon (a river's reaches, grid
 * cells imported from GeoJSON) opens with every part and every hole editable; a part is reshaped, one removed and one
 * drawn, and the save sends one MultiPolygon with the hole kept; a shape the server finds invalid is refused, and its
 * 400 is shown.
 */
@MicronautTest(transactional = false)
class MultiPartFenceSpec extends BrowserSpec {
    static final double D = 0.004, HOLE = 0.001, B = 0.002, B_LON = LON + 0.012

    static List<List<Double>> square(double lon, double lat, double d) {
        [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
    }

    /** Part 1 a square with a square hole, part 2 a smaller square to its east. */
    static Map riverReaches() {
        [type: 'MultiPolygon', coordinates: [[square(LON, LAT, D), square(LON, LAT, HOLE).reverse()], [square(B_LON, LAT, B)]]]
    }

    /** Opens fence id in the admin's fence editor and waits for its parts. */
    void openInEditor(String id, String name) {
        logInAs(Role.ADMIN)
        browser.click('#admin-tab-fences')
        browser.waitFor("#fence-list button[data-fence-id='$id']")
        def filter = browser.find('#fence-filter')
        filter.clear()
        filter.sendKeys(name)
        browser.click("#fence-list button[data-fence-id='$id']")
        browser.waitUntil { browser.find('#fence-name').getAttribute('value') == name }
        browser.waitFor('#fence-parts li.fence-part')
    }

    /** The vertex handles (middle handles have opacity 0.6), in the order the parts' rings were given. */
    List<WebElement> vertices() {
        browser.driver.findElements(By.cssSelector('.leaflet-editing-icon')).findAll { it.getCssValue('opacity') == '1' }
    }

    static List<Integer> centre(WebElement e) {
        def r = e.rect
        [r.x + r.width.intdiv(2), r.y + r.height.intdiv(2)]
    }

    static List<Integer> average(List<WebElement> elements) {
        def points = elements.collect { centre(it) }
        [(points*.get(0).sum() as int).intdiv(points.size()), (points*.get(1).sum() as int).intdiv(points.size())]
    }

    static boolean near(List a, List b) {
        Math.abs((a[0] as double) - (b[0] as double)) < 1e-6 && Math.abs((a[1] as double) - (b[1] as double)) < 1e-6
    }

    void drag(WebElement handle, int toX, int toY) {
        def (x, y) = centre(handle)
        new Actions(browser.driver).moveToLocation(x, y).clickAndHold().moveToLocation((x + toX).intdiv(2), (y + toY).intdiv(2))
                .moveToLocation(toX, toY).release().perform()
    }

    def "an admin reshapes one part, removes another and draws a new one, and the fence is saved as one MultiPolygon with its hole"() {
        given:
        String name = unique('长江乌江水域')
        String id = data.fence(name, 'DANGER', riverReaches())
        openInEditor(id, name)

        expect: 'two parts listed, the first with its hole, and handles on every ring: 4 + 4 (hole) + 4 corners'
        browser.driver.findElements(By.cssSelector('#fence-parts li.fence-part')).size() == 2
        browser.find("#fence-parts li[data-part='0']").text.contains('1个洞')
        browser.find('#fence-shape-note').text.contains('可添加或删除部分')
        vertices().size() == 12

        when: 'the first corner of part 1 is dragged 40 px east'
        def (x0, y0) = centre(vertices()[0])
        drag(vertices()[0], x0 + 40, y0)
        def (bx, by) = average(vertices()[8..11])
        int half = (centre(vertices()[9])[0] - centre(vertices()[8])[0]).intdiv(2)

        and: 'part 2 is removed and a triangle drawn where it was'
        browser.click("#fence-parts li[data-part='1'] button.part-remove")
        browser.waitUntil { browser.driver.findElements(By.cssSelector('#fence-parts li.fence-part')).size() == 1 }
        browser.click('#fence-add-part')
        def points = [[bx, by - half.intdiv(2)], [bx + half.intdiv(2), by + half.intdiv(2)], [bx - half.intdiv(2), by + half.intdiv(2)], [bx, by - half.intdiv(2)]]
        points.each { p -> new Actions(browser.driver).moveToLocation(p[0] as int, p[1] as int).click().perform(); Thread.sleep(150) }

        then: 'the new part is listed'
        browser.waitUntil { browser.driver.findElements(By.cssSelector('#fence-parts li.fence-part')).size() == 2 }

        when:
        browser.click('#fence-save')

        then:
        browser.waitUntil { browser.find('#fence-message').text == '已保存' }
        Map saved = data.get("/api/fences/$id") as Map
        saved.geometry.type == 'MultiPolygon'
        List parts = saved.geometry.coordinates
        parts.size() == 2
        parts[0].size() == 2                                       // the hole kept
        square(LON, LAT, HOLE).every { c -> parts[0][1].any { near(it, c) } }   // unchanged
        parts[0][0][0][0] > LON - D + 0.0003                       // the corner moved east
        Math.abs(parts[0][0][0][1] - (LAT - D)) < 0.0001
        near(parts[0][0][1], [LON + D, LAT - D])
        parts[1].size() == 1
        parts[1][0].size() == 4                                    // a triangle, closed
        parts[1][0].every { it[0] > B_LON - B && it[0] < B_LON + B && it[1] > LAT - B && it[1] < LAT + B }

        cleanup:
        browser.screenshot('multipart-01-saved')
    }

    def "a reshaped part that overlaps another is refused, and the server's 400 is shown"() {
        given:
        String name = unique('长江水域')
        String id = data.fence(name, 'DANGER', riverReaches())
        openInEditor(id, name)

        when: "part 2's first corner is dragged into part 1's hole's middle, and the fence saved"
        def (hx, hy) = average(vertices()[4..7])
        drag(vertices()[8], hx, hy)
        browser.click('#fence-save')

        then:
        browser.waitUntil { browser.find('#fence-message').text.contains('not valid') }
        browser.find('#fence-message').text.contains('请修改')
        List stored = (data.get("/api/fences/$id") as Map).geometry.coordinates
        Math.abs(stored[1][0][0][0] - (B_LON - B)) < 1e-7          // unchanged on the server
        Math.abs(stored[1][0][0][1] - (LAT - B)) < 1e-7
        browser.driver.findElements(By.cssSelector('#fence-parts li.fence-part')).size() == 2

        cleanup:
        browser.screenshot('multipart-02-refused')
    }
}
