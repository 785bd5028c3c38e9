package org.geoward.web

import io.micronaut.http.HttpRequest
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.security.Role
import org.openqa.selenium.By
import org.openqa.selenium.Dimension
import org.openqa.selenium.interactions.Actions

import java.time.Instant

/**
 * The admin's tools and the family's messages in a real browser against the real server: editing and retiring a
 * fence, registering a device (its token shown once), creating a family account, editing a message template with its
 * live preview (and the SMS the recording gateway sends afterwards), and the SMS a family member was sent. Data through the real APIs ({@link ApiData}); screenshots to target/screenshots.
 */
@MicronautTest(transactional = false)
class AdminConsoleSpec extends BrowserSpec {

    /** Logs in a new admin and opens the admin tab key (fences, subjects, devices, users). */
    void adminOn(String tab) {
        logInAs(Role.ADMIN)
        browser.waitFor("#admin-tab-$tab").click()
    }

    /** Sets a form control's value as a person would (date and time inputs take typing in the browser's locale). */
    void setValue(String css, String value) {
        browser.js('''const el = document.querySelector(arguments[0]); el.value = arguments[1];
                      el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true}));''', css, value)
    }

    /** A screenshot with the element at css scrolled into view. */
    void shoot(String css, String name) {
        browser.js('document.querySelector(arguments[0])?.scrollIntoView()', css)
        browser.screenshot(name)
    }

    void type(String css, String text) {
        def el = browser.find(css)
        el.clear()
        el.sendKeys(text)
    }

    /** POSTs an OwnTracks location as device uniqueId with token; returns the HTTP status. */
    int ownTracks(String uniqueId, String token) {
        String basic = Base64.encoder.encodeToString("$uniqueId:$token".getBytes('UTF-8'))
        String body = """{"_type":"location","tid":"ot","lat":$LAT,"lon":$LON,"tst":${Instant.now().minusSeconds(5).epochSecond},"acc":10}"""
        try {
            http.toBlocking().exchange(HttpRequest.POST('/ingest/owntracks', body).contentType('application/json')
                    .header('Authorization', "Basic $basic"), String).status.code
        } catch (HttpClientResponseException e) {
            e.status.code
        }
    }

    def "an admin picks a fence from the list, moves a corner, changes its dwell, schedule and wards, and the API returns them"() {
        given: 'a 600 m square ban zone with a 30-minute dwell, always active, and a ward'
        String name = unique('乌江口禁渔区')
        List<List<Double>> ring = [[LON - 0.003, LAT - 0.003], [LON + 0.003, LAT - 0.003], [LON + 0.003, LAT + 0.003], [LON - 0.003, LAT + 0.003], [LON - 0.003, LAT - 0.003]]
        String fence = data.fence(name, 'BAN', [type: 'Polygon', coordinates: [ring]], [dwellMinutes: 30])
        String wardName = unique('陈爷爷')
        String ward = data.ward(wardName)
        adminOn('fences')

        when: 'the fence is found by name in the list and picked'
        browser.waitFor("#fence-list button[data-fence-id='$fence']")
        type('#fence-filter', name)
        browser.find("#fence-list button[data-fence-id='$fence']").click()

        then: 'its values fill the form and its corners can be dragged'
        browser.waitUntil { browser.find('#fence-name').getAttribute('value') == name }
        browser.find('#fence-dwell').getAttribute('value') == '30'
        browser.find('#fence-zone').getAttribute('value') == 'Asia/Shanghai'
        browser.find('#fence-editing').text.contains(name)
        browser.waitFor('.leaflet-editing-icon')

        when: 'the first corner is dragged 40 px east, and a daily window that starts and ends at 08:00 is saved'
        new Actions(browser.driver).clickAndHold(browser.find('.leaflet-editing-icon')).moveByOffset(20, 0).moveByOffset(20, 0).release().perform()
        type('#fence-dwell', '45')
        setValue('#fence-active-from', '2026-12-01')
        setValue('#fence-active-until', '2027-03-31')
        setValue('#fence-daily-from', '08:00')
        setValue('#fence-daily-until', '08:00')
        type('#fence-zone', 'Asia/Urumqi')
        type('#fence-subjects-filter', wardName)
        browser.find("#fence-subjects-$ward").click()
        browser.find('#fence-save').click()

        then: 'the server refuses the empty window, and says so next to the daily hours'
        browser.waitUntil { browser.find('#fence-daily-from-error').text.contains('empty') }
        browser.find('#fence-daily-from').getAttribute('aria-invalid') == 'true'
        browser.find('#fence-message').text.contains('请修改')
        browser.find('#fence-message').text.contains('每日开始')
        data.get("/api/fences/$fence").properties.dwellMinutes == 30
        browser.screenshot('11-admin-fence-error')

        when: 'the window is made 08:00 to 20:00 and saved'
        setValue('#fence-daily-until', '20:00')
        browser.find('#fence-save').click()

        then:
        browser.waitUntil { browser.find('#fence-message').text == '已保存' }
        browser.find('#fence-daily-from-error').text == ''
        Map saved = data.get("/api/fences/$fence") as Map
        saved.properties.name == name
        saved.properties.kind == 'BAN'
        saved.properties.dwellMinutes == 45
        saved.properties.active == [from: '2026-12-01', until: '2027-03-31', daily: '08:00-20:00', zone: 'Asia/Urumqi']
        saved.properties.subjects == [ward]
        List<List<Double>> corners = saved.geometry.coordinates[0]
        corners.size() == 5
        corners[0][0] > ring[0][0] + 0.0002     // moved east
        Math.abs(corners[0][1] - ring[0][1]) < 0.0001
        corners[1] == ring[1]
        corners[4] == corners[0]

        cleanup:
        browser.screenshot('12-admin-fence-edited')
    }

    def "an admin retires a fence only after confirming"() {
        given:
        String fence = data.circle(unique('临时安全区'), 'SAFE', LON + 0.01, LAT, 150)
        adminOn('fences')
        browser.click("#fence-list button[data-fence-id='$fence']")
        browser.waitFor('#fence-delete')

        when: 'the confirmation is dismissed'
        browser.find('#fence-delete').click()
        browser.driver.switchTo().alert().dismiss()

        then:
        data.get("/api/fences/$fence").properties.retiredAt == null

        when: 'and then accepted'
        browser.find('#fence-delete').click()
        browser.driver.switchTo().alert().accept()

        then:
        browser.waitUntil { browser.find('#fence-message').text.contains('已停用') }
        data.get("/api/fences/$fence").properties.retiredAt != null
        browser.waitUntil { browser.driver.findElements(By.cssSelector("#fence-list button[data-fence-id='$fence']")).isEmpty() }
    }

    def "an admin claims an unknown device for a ward, sees its token once, the device reports with it, and deleting it stops that"() {
        given: 'a phone running OwnTracks tried to report before it was registered'
        String ward = data.ward(unique('赵奶奶'))
        String uniqueId = "ot-${UUID.randomUUID().toString().take(8)}".toString()
        assert ownTracks(uniqueId, 'guess') == 401
        adminOn('devices')

        when: 'it is claimed from the unknown devices and registered for the ward'
        browser.waitFor("#unknown-devices li[data-unique-id='$uniqueId'] button.claim").click()
        assert browser.find('#device-unique-id').getAttribute('value') == uniqueId
        assert browser.find('#device-protocol').getAttribute('value') == 'OWNTRACKS'
        browser.find("#device-subject option[value='$ward']").click()
        browser.find('#device-save').click()
        def tokenField = browser.waitFor('#device-token-value')
        String token = tokenField.getAttribute('value')
        browser.screenshot('13-admin-device-token')

        then: 'the token is shown with the note to copy it now, and it is the real one'
        token.length() >= 20
        browser.find('#device-token-note').text.contains('只显示这一次')
        browser.waitUntil { browser.driver.findElements(By.cssSelector("#device-list li[data-unique-id='$uniqueId']")).size() == 1 }
        browser.driver.findElements(By.cssSelector("#unknown-devices li[data-unique-id='$uniqueId']")).isEmpty()
        def listed = (data.get('/api/devices') as List<Map>).find { it.uniqueId == uniqueId }
        listed.subjectId == ward
        listed.protocol == 'OWNTRACKS'
        listed.hasToken
        !listed.containsKey('token')
        ownTracks(uniqueId, token) == 200

        when: 'the console is opened again'
        browser.open('/')
        browser.waitFor('#admin-tab-devices').click()
        browser.waitFor("#device-list li[data-unique-id='$uniqueId']")

        then: 'the token is nowhere to be seen'
        !browser.driver.pageSource.contains(token)
        browser.driver.findElements(By.cssSelector('#device-token-value')).isEmpty()

        when: 'the device is deleted, confirmed'
        browser.find("#device-list li[data-unique-id='$uniqueId'] button.danger").click()
        browser.driver.switchTo().alert().accept()

        then:
        browser.waitUntil { browser.driver.findElements(By.cssSelector("#device-list li[data-unique-id='$uniqueId']")).isEmpty() }
        !(data.get('/api/devices') as List<Map>).any { it.uniqueId == uniqueId }
        ownTracks(uniqueId, token) == 401
    }

    def "an admin creates a family account for a ward, and that family member logs in and sees the ward"() {
        given:
        String wardName = unique('孙奶奶')
        String ward = data.ward(wardName)
        String username = "family-${UUID.randomUUID().toString().take(8)}".toString()
        adminOn('users')
        browser.waitFor('#user-wards-filter').sendKeys(wardName)
        browser.waitFor("#user-wards-$ward")

        when: 'a family account without a ward is submitted'
        type('#user-name', username)
        type('#user-password', 'correct horse battery')
        browser.find('#user-save').click()

        then: 'the server asks for a ward, next to the wards'
        browser.waitUntil { browser.find('#user-wards-error').text.contains('ward') }
        browser.find('#user-message').text.contains('可查看的老人')

        when: 'the ward is ticked'
        browser.find("#user-wards-$ward").click()
        browser.find('#user-save').click()

        then:
        browser.waitUntil { browser.find('#user-message').text.contains(username) }
        browser.waitFor("#user-list li[data-username='$username']").text.contains(wardName)
        def account = (data.get('/api/users') as List<Map>).find { it.username == username }
        account.role == 'FAMILY'
        account.wardIds == [ward as long]
        browser.screenshot('14-admin-users')

        when: 'they log in'
        browser.find('#logout').click()
        browser.logIn(username, 'correct horse battery')

        then:
        browser.waitFor("#wards li.ward[data-subject-id='$ward']").text.contains(wardName)
        browser.driver.findElements(By.cssSelector('#wards li.ward')).size() == 1
        browser.find('#who').text.contains('家属')
    }

    def "an admin registers a ward with a guardian and changes an officer's travel mode"() {
        given:
        String guardianName = unique('周先生')
        String guardian = data.subject('GUARDIAN', guardianName, [phone: '+8613900001111'])
        String officer = data.subject('OFFICER', unique('吴警官'), [unit: 'POLICE', travelMode: 'WALK'])
        String wardName = unique('周奶奶')
        adminOn('subjects')
        browser.waitFor('#subject-form')

        when: 'a ward is registered with that guardian'
        browser.find('#subject-kind option[value=WARD]').click()
        type('#subject-name', wardName)
        type('#subject-offline', '45')
        type('#subject-guardians-filter', guardianName)
        browser.waitFor("#subject-guardians-$guardian").click()
        browser.find('#subject-save').click()

        then:
        browser.waitUntil { browser.find('#subject-message').text.contains(wardName) }
        def ward = (data.get('/api/subjects?kind=WARD') as List<Map>).find { it.name == wardName }
        ward.guardians == [guardian]
        ward.offlineMinutes == 45

        when: 'the officer is edited: by car now'
        browser.find('#subject-filter option[value=OFFICER]').click()
        browser.click("#subject-list li[data-subject-id='$officer'] button.edit")
        browser.find('#subject-travel option[value=CAR]').click()
        browser.find('#subject-save').click()

        then:
        browser.waitUntil { browser.find('#subject-message').text.contains('已保存') }
        data.get("/api/subjects/$officer").travelMode == 'CAR'
        data.get("/api/subjects/$officer").unit == 'POLICE'

        cleanup:
        browser.screenshot('15-admin-subjects')
    }

    def "a family member on a phone sees the SMS they were sent about their ward, and the back-home message"() {
        given: 'a guardian with a phone, their ward inside a safe zone, and their family account'
        String phone = "+86139${(10000000 + new Random().nextInt(89999999))}".toString()
        String guardian = data.subject('GUARDIAN', unique('郑女士'), [phone: phone])
        String wardName = unique('郑爷爷')
        String ward = data.subject('WARD', wardName, [guardians: [guardian]])
        double lon = LON + 0.03, lat = LAT + 0.01
        data.circle(unique('郑家'), 'SAFE', lon, lat, 200, [ward])
        String username = "family-${UUID.randomUUID().toString().take(8)}".toString()
        data.post('/api/users', [username: username, password: 'pw-' + username, role: 'FAMILY', wardIds: [ward as long], subjectId: guardian as long])

        and: 'someone else\'s ward also wanders, with SMS to its own guardian'
        String otherName = unique('别家老人')
        String otherGuardian = data.subject('GUARDIAN', unique('别家监护人'), [phone: '+8613700002222'])
        String other = data.subject('WARD', otherName, [guardians: [otherGuardian]])
        data.circle(unique('别家'), 'SAFE', lon - 0.02, lat, 200, [other])

        when: 'the ward walks off alone and comes back; the other wanders'
        data.sightings([ApiData.fix(ward, lon, lat, 900), ApiData.fix(ward, lon + 0.006, lat, 600), ApiData.fix(ward, lon, lat, 120)])
        data.sightings([ApiData.fix(other, lon - 0.02, lat, 900), ApiData.fix(other, lon - 0.026, lat, 600)])
        browser.driver.manage().window().setSize(new Dimension(390, 844))
        browser.logIn(username, 'pw-' + username)
        def list = browser.waitFor('#notification-list')
        browser.waitUntil { browser.driver.findElements(By.cssSelector('#notification-list li.channel-sms')).size() >= 2 }

        then: 'the SMS about leaving, sent to their own phone, and the back-home one'
        def sms = browser.driver.findElements(By.cssSelector('#notification-list li.channel-sms'))*.text
        sms.any { it.contains(wardName) && it.contains('独自离开') && it.contains(phone) && it.contains('短信') }
        browser.find('#notification-list li.channel-sms.back-home').text.contains('回到安全区域')
        browser.find('#notification-list li.channel-sms.back-home').text.contains('已回到安全区')
        !list.text.contains(otherName)
        !list.text.contains('+8613700002222')

        and: 'each delivery names the alert step that caused it'
        def alert = data.alertOf(ward, 'WANDER')
        def steps = (data.get("/api/notifications?alertId=$alert&channel=SMS") as List<Map>).collect { [it.alertType, it.action, it.outcome] }
        steps.toSet() == [['WANDER', 'OPENED', null], ['WANDER', 'RESOLVED', 'RETURNED']].toSet()
        shoot('#my-notifications', '16-family-messages-phone')

        when:
        browser.find('#language').findElement(By.cssSelector('option[value=en]')).click()

        then:
        browser.waitUntil { browser.find('#notifications-title').text == 'Messages sent to me' }
        browser.waitUntil { browser.find('#notification-list li.back-home').text.contains('Back in the safe zone') }

        cleanup:
        shoot('#my-notifications', '17-family-messages-phone-en')
    }

    /** The texts the recording SMS gateway sent to phone. */
    List<String> smsTo(String phone) {
        def c = data.dataSource.connection
        try {
            def ps = c.prepareStatement('SELECT text FROM sms_message WHERE phone = ? ORDER BY id')
            ps.setString(1, phone)
            def rs = ps.executeQuery()
            List<String> texts = []
            while (rs.next()) {
                texts << rs.getString(1)
            }
            texts
        } finally {
            c.close()
        }
    }

    /** The default template key in language, through the API. */
    String templateText(String key, String language) {
        ((data.get('/api/notify/templates') as Map).templates as List<Map>).find { it.key == key && it.language == language && it.fenceId == null }.text
    }

    def "an admin edits the SOS text with a live preview in zh-CN and English, a misspelt placeholder is shown before saving, and the next SOS SMS reads the saved text"() {
        given: 'a ward whose guardian has a phone, and the SOS texts as they are'
        String zhBefore = templateText('SOS', 'zh-CN')
        String enBefore = templateText('SOS', 'en')
        String phone = "+86137${(10000000 + new Random().nextInt(89999999))}".toString()
        String guardian = data.subject('GUARDIAN', unique('冯女士'), [phone: phone])
        String wardName = unique('冯爷爷')
        String ward = data.subject('WARD', wardName, [guardians: [guardian]])
        def (username, password) = account(Role.ADMIN)
        browser.logIn(username, password)
        browser.waitForPresent('#map path.district-outline')
        browser.click('#admin-tab-templates')

        when: 'the default SOS template is opened'
        browser.click("#template-list li[data-key='SOS'][data-fence-id=''] button.template-edit")
        browser.waitFor("#template-form[data-key='SOS']")

        then: 'zh-CN first, English second, each with its text and a preview for the sample alert'
        browser.driver.findElements(By.cssSelector('#template-form fieldset.template-language'))*.getAttribute('data-language') == ['zh-CN', 'en']
        browser.find('#template-text-zh').getAttribute('value') == zhBefore
        browser.find('#template-text-en').getAttribute('value') == enBefore
        browser.find("label[for='template-text-zh']").text == '中文（简体）文本'
        browser.waitUntil { browser.find('#template-preview-zh').getAttribute('data-state') == 'ok' && browser.find('#template-preview-en').getAttribute('data-state') == 'ok' }
        browser.find('#template-preview-zh-text').text.contains('王秀英')
        browser.find('#template-preview-en-text').text.contains('Wang Xiuying')
        !browser.find('#template-preview-en-text').text.contains('{name}')

        when: 'a misspelt placeholder is typed'
        type('#template-text-zh', '【测试】{name}在{palce}求助了')

        then: 'the preview says which, under the text, before anything is saved'
        browser.waitUntil { browser.find('#template-preview-zh').getAttribute('data-state') == 'error' }
        browser.find('#template-text-zh-error').text.contains('unknown placeholder {palce}')
        browser.find('#template-text-zh').getAttribute('aria-invalid') == 'true'
        browser.find('#template-preview-zh-text').text.contains('无法预览')
        templateText('SOS', 'zh-CN') == zhBefore

        when: 'the text is put right, with {time} inserted by its button'
        type('#template-text-zh', '【测试】{name}求助了，')
        browser.click("button.insert-placeholder[data-placeholder='{time}'][data-for='zh']")

        then: 'the preview fills in the sample, and counts the SMS'
        browser.waitUntil { browser.find('#template-preview-zh').getAttribute('data-state') == 'ok' }
        browser.find('#template-preview-zh-text').text ==~ /【测试】王秀英求助了，\d\d-\d\d \d\d:\d\d/
        browser.find('#template-text-zh-error').text == ''
        browser.find('#template-text-zh').getAttribute('aria-invalid') == null
        browser.find('#template-preview-zh .preview-count').text.contains('按短信计 1 条')

        when: 'saved, and the page reloaded'
        shoot('#template-form', '18-admin-template-editing')
        browser.click('#template-save')
        browser.waitUntil { browser.find('#template-message').text.contains('已保存') }
        browser.driver.navigate().refresh()
        browser.waitForPresent('#map path.district-outline')
        browser.click('#admin-tab-templates')
        def item = browser.waitFor("#template-list li[data-key='SOS'][data-fence-id='']")

        then: 'the list shows the new text, changed by this admin; English is untouched'
        item.findElement(By.cssSelector("p.template-snippet[data-language='zh-CN']")).text == '【测试】{name}求助了，{time}'
        item.findElement(By.cssSelector('.template-updated')).text.contains(username)
        templateText('SOS', 'zh-CN') == '【测试】{name}求助了，{time}'
        templateText('SOS', 'en') == enBefore

        when: 'the ward sends an SOS'
        data.sightings([ApiData.fix(ward, LON + 0.02, LAT + 0.01, 20, [sos: true])])

        then: 'the SMS the gateway sent to the guardian reads the saved text'
        browser.waitUntil(20) { !smsTo(phone).isEmpty() }
        smsTo(phone).size() == 1
        smsTo(phone)[0] ==~ /【测试】${java.util.regex.Pattern.quote(wardName)}求助了，\d\d-\d\d \d\d:\d\d/

        cleanup:
        browser.screenshot('19-admin-template-saved')
        data.http.toBlocking().exchange(io.micronaut.http.HttpRequest.PUT('/api/notify/templates',
                [templates: [[key: 'SOS', language: 'zh-CN', text: zhBefore]]]).bearerAuth(data.token), Map)
        def sos = data.alerts(ward).find { it.properties.type == 'SOS' }
        if (sos) data.post("/api/alerts/${sos.properties.id}/resolve", [outcome: 'FALSE_ALARM'])
    }
}
