package org.geoward.web

import io.micronaut.http.HttpRequest
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.security.Role
import org.geoward.support.Accounts
import org.openqa.selenium.By

/**
 * The audit trail in a real browser: the admin's audit tab, filtered by ward; "who looked at this ward" on the ward's
 * page in the subjects tab; the auditor's own view, which verifies the hash chain; both in Chinese and in English.
 */
@MicronautTest(transactional = false)
class AuditConsoleSpec extends BrowserSpec {

    /** A dispatcher reads the ward's track with a purpose; returns the dispatcher's username. */
    String dispatcherLooksAt(String wardId) {
        def (username, password) = account(Role.DISPATCHER)
        String token = Accounts.login(http, username, password)
        http.toBlocking().exchange(HttpRequest.GET("/api/subjects/$wardId/track").bearerAuth(token)
                .header("X-Geoward-Purpose", "alert 7 handling"), String)
        username
    }

    def "the admin's audit tab lists who read a ward's track, filtered by the ward"() {
        given:
        String ward = data.ward(unique('审计奶奶'))
        String dispatcher = dispatcherLooksAt(ward)
        logInAs(Role.ADMIN)

        when:
        browser.waitFor('#admin-tab-audit').click()
        browser.waitFor('#audit-subject').sendKeys(ward)
        browser.find('#audit-search').click()

        then:
        browser.waitUntil(30) {
            def items = browser.driver.findElements(By.cssSelector('#audit-list .audit-entry'))*.text
            items && items.every { it.contains("对象 $ward") } && items.any { it.contains(dispatcher) && it.contains('alert 7 handling') }
        }
        browser.find('#audit-list').text.contains('调度员')
        browser.consoleErrors().findAll { !it.contains('favicon') } == []
    }

    def "a ward's page shows who looked at the ward"() {
        given:
        String name = unique('查看奶奶')
        String ward = data.ward(name)
        String dispatcher = dispatcherLooksAt(ward)
        logInAs(Role.ADMIN)

        when:
        browser.waitFor('#admin-tab-subjects').click()
        browser.click("#subject-list li[data-subject-id='$ward'] button.edit", 30)

        then:
        browser.waitUntil(30) {
            def looked = browser.find('#subject-who-looked')
            looked.displayed && looked.text.contains('谁查看过此对象') && looked.text.contains(dispatcher) &&
                    looked.text.contains("/api/subjects/$ward/track")
        }
        browser.screenshot('who-looked')
    }

    def "an admin registers a ward with the guardian's consent, and the list says it is on record"() {
        given:
        String name = unique('同意奶奶')
        logInAs(Role.ADMIN)
        browser.waitFor('#admin-tab-subjects').click()

        when:
        browser.waitFor('#subject-name').sendKeys(name)
        browser.find('#subject-consent-by').sendKeys('王建国')
        browser.find('#subject-consent-version').sendKeys('2026-12')
        browser.find('#subject-save').click()

        then:
        browser.waitUntil(30) { browser.find('#subject-list').text.contains(name) }
        def ward = data.get('/api/subjects?kind=WARD').find { it.name == name }
        ward.consent.by == '王建国'
        ward.consent.textVersion == '2026-12'
        browser.waitUntil(30) { browser.find("#subject-list li[data-subject-id='$ward.id']").text.contains('已同意（2026-12）') }
    }

    def "an auditor sees only the audit trail, in English, and verifies the chain"() {
        given:
        def (username, password) = account(Role.AUDITOR)
        browser.js("localStorage.setItem('geoward.lang', 'en')")
        browser.open('/')

        when:
        browser.logIn(username, password)
        browser.waitFor('#audit-list')
        browser.click('#audit-verify')

        then:
        browser.waitUntil(30) { browser.find('#audit-verdict').text.startsWith('Hash chain intact') }
        browser.find('#audit-title').text == 'Audit trail'
        !browser.find('#map').displayed
        browser.screenshot('auditor')
    }
}
