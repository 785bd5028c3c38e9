package org.geoward.web

import io.micronaut.core.type.Argument
import io.micronaut.http.HttpRequest
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.security.Role
import org.openqa.selenium.By
import org.openqa.selenium.support.ui.Select

/**
 * The admin's units tab in Chromium against the real server: a new unit, an officer moved into it, its deletion
 * refused with the server's count while it has officers, a rename, and the deletion once it is empty.
 */
@MicronautTest(transactional = false)
class UnitConsoleSpec extends BrowserSpec {

    List<Map> units() {
        http.toBlocking().retrieve(HttpRequest.GET('/api/units').bearerAuth(data.token), Argument.listOf(Map))
    }

    String item(String unit) {
        "#unit-list li[data-unit='$unit']"
    }

    void move(String officer, String unit) {
        browser.waitUntil { browser.find('#unit-move-target').findElements(By.cssSelector("option[value='$unit']")).size() == 1 }
        new Select(browser.find('#unit-move-officer')).selectByValue(officer)
        new Select(browser.find('#unit-move-target')).selectByValue(unit)
        browser.click('#unit-move')
        browser.waitUntil { browser.find('#unit-move-message').text.endsWith("已调入 $unit") }
    }

    def "an admin creates a unit, moves an officer in, may not delete it then, renames it, and deletes it once empty"() {
        given:
        String code = "RIVER-${UUID.randomUUID().toString().take(6).toUpperCase()}".toString()
        String renamed = "${code}-2".toString()
        String officer = data.subject('OFFICER', unique('巡河员 赵六'), [unit: 'POLICE'])
        logInAs(Role.ADMIN)
        browser.click('#admin-tab-units')
        browser.waitFor(item('POLICE'))

        when: 'a code that is not a unit code is refused next to the field'
        browser.find('#unit-new-name').sendKeys('river team')
        browser.click('#unit-create')

        then:
        browser.waitUntil { browser.find('#unit-new-name-error').text.contains('not a unit name') }
        browser.find('#unit-new-name').getAttribute('aria-invalid') == 'true'

        when: 'the unit is created with a display name and the officer moved into it'
        browser.find('#unit-new-name').clear()
        browser.find('#unit-new-name').sendKeys(code)
        browser.find('#unit-new-label').sendKeys('河道巡查队')
        browser.click('#unit-create')
        browser.waitFor(item(code))
        move(officer, code)

        then:
        browser.find(item(code)).findElement(By.cssSelector('.unit-label')).text == '河道巡查队'
        browser.waitUntil { browser.find(item(code)).findElement(By.cssSelector('.unit-counts')).text.startsWith('1名人员') }
        data.get("/api/subjects/$officer").unit == code

        when: 'the admin tries to delete it and confirms'
        browser.find(item(code)).findElement(By.cssSelector('button.unit-delete')).click()
        browser.driver.switchTo().alert().accept()

        then: "the server's refusal is shown, with how many officers it still has"
        browser.waitUntil { browser.find('#unit-message').text.contains('still has 1 officer') }
        units().any { it.name == code }

        when: 'the officer goes back to the police, the unit is renamed, then deleted'
        move(officer, 'POLICE')
        def rename = browser.find("#unit-rename-$code")
        rename.clear()
        rename.sendKeys(renamed)
        browser.find(item(code)).findElement(By.cssSelector('button.unit-rename')).click()
        browser.waitFor(item(renamed))
        browser.find(item(renamed)).findElement(By.cssSelector('button.unit-delete')).click()
        browser.driver.switchTo().alert().accept()

        then:
        browser.waitUntil { browser.driver.findElements(By.cssSelector(item(renamed))).isEmpty() }
        browser.find('#unit-message').text.contains(renamed)
        units().every { !(it.name in [code, renamed]) }

        cleanup:
        browser.screenshot('units-01-admin')
    }
}
