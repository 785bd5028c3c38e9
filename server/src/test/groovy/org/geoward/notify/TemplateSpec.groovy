package org.geoward.notify

import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import java.sql.Connection
import org.geoward.alert.AlertEvents
import org.geoward.security.PasswordHasher
import spock.lang.Specification
import spock.util.concurrent.PollingConditions

/** The message texts are data an admin edits (GET/PUT /api/notify/templates), and the router sends what they say. */
@MicronautTest(transactional = false)
class TemplateSpec extends Specification {

    @Inject
    AlertEvents alertEvents

    @Inject
    TransactionOperations<Connection> tx

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    PasswordHasher hasher

    PollingConditions eventually = new PollingConditions(timeout: 15, delay: 0.2)

    Scene scene
    String admin

    def setup() {
        scene = new Scene(tx, alertEvents, http, hasher)
        admin = scene.user('ADMIN').token
    }

    Map list(String token = admin) {
        http.toBlocking().retrieve(HttpRequest.GET('/api/notify/templates').bearerAuth(token), Map)
    }

    Map put(List templates, String token = admin) {
        http.toBlocking().retrieve(HttpRequest.PUT('/api/notify/templates', [templates: templates]).bearerAuth(token), Map)
    }

    String text(String key, String language) {
        list().templates.find { it.key == key && it.language == language && it.fenceId == null }.text
    }

    def "an admin reads today's texts in zh-CN and English, with the placeholders a text may use"() {
        when:
        def answer = list()

        then:
        answer.sendingLanguage == 'zh-CN'
        answer.placeholders == ['{name}', '{place}', '{time}', '{minutes}']
        text('WANDER', 'zh-CN') == '【Geoward】{name}于{time}独自离开了安全区域“{place}”，请尽快联系或寻找。'
        text('LOITER_OFFICERS', 'zh-CN') == '禁渔区“{place}”：{name} 已停留 {minutes} 分钟'
        text('WANDER', 'en').contains('{name}')
        answer.templates*.key.toSet() == TemplateKey.values()*.name().toSet()
    }

    def "an edited SOS text is the next SOS message's text"() {
        given:
        String before = text('SOS', 'zh-CN')
        def ward = scene.subject('WARD', '改文爷爷')
        def phone = Scene.phone()
        scene.guard(ward, scene.subject('GUARDIAN', '孙女', phone))

        when:
        def answer = put([[key: 'SOS', language: 'zh-CN', text: '【测试】{name}求助了（{time}）']])
        def alert = scene.openAlert('SOS', ward, null)

        then:
        answer.templates.find { it.key == 'SOS' && it.language == 'zh-CN' }.updatedBy.startsWith('admin-')
        def sms = scene.notifications(alert).find { it.channel == 'SMS' }
        sms.text ==~ /【测试】改文爷爷求助了（\d\d-\d\d \d\d:\d\d）/

        cleanup:
        put([[key: 'SOS', language: 'zh-CN', text: before]])
    }

    def "#why is refused with 400 naming the template, and nothing is stored"() {
        given:
        String before = text('WANDER', 'zh-CN')

        when:
        put([[key: 'WANDER', language: 'zh-CN', text: 'fine {name}'], draft])

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        def problem = e.response.getBody(Map).get()
        problem.errors[0].field == field
        problem.detail.contains(says)
        text('WANDER', 'zh-CN') == before

        where:
        why                   | draft                                                    || field                  | says
        'an unknown placeholder' | [key: 'DANGER', language: 'zh-CN', text: '{name} 在 {adress}'] || 'templates[1].text'     | '{adress}'
        'an empty text'       | [key: 'DANGER', language: 'en', text: '  ']              || 'templates[1].text'     | 'DANGER (en) is empty'
        'an unknown key'      | [key: 'PARTY', language: 'en', text: 'x']                || 'templates[1].key'      | 'PARTY'
        'an unknown language' | [key: 'DANGER', language: 'fr', text: 'x']               || 'templates[1].language' | 'fr'
    }

    Map preview(Map draft, String token = admin) {
        http.toBlocking().retrieve(HttpRequest.POST('/api/notify/templates/preview', draft).bearerAuth(token), Map)
    }

    def "a draft is previewed as its message would read for a sample alert, in its own language, and nothing is stored"() {
        given:
        String before = text('WANDER', 'zh-CN')

        when:
        def zh = preview([key: 'WANDER', language: 'zh-CN', text: '{name}于{time}离开“{place}”已{minutes}分钟'])
        def en = preview([key: 'LOITER', language: 'en', text: 'You have stayed {minutes} min in {place}. [Leave]'])
        def sos = preview([key: 'SOS', language: 'zh-CN', text: '{name}在{place}求助'])

        then: 'the placeholders are filled with the sample, in the language of the text'
        zh.text ==~ /王秀英于\d\d-\d\d \d\d:\d\d离开“幸福小区”已12分钟/
        zh.text.contains(zh.sample.time)
        zh.sample == [name: '王秀英', place: '幸福小区', time: zh.sample.time, minutes: 12]
        en.text == 'You have stayed 30 min in Yangtze Fuling no-fishing zone. [Leave]'
        sos.text == '王秀英在最后已知位置求助'

        and: 'its length and the SMS parts it takes: Chinese is UCS-2 (70 a part), ASCII GSM-7 with [ ] counted twice'
        zh.encoding == 'UCS-2'
        zh.characters == zh.text.length()
        zh.smsParts == 1
        en.encoding == 'GSM-7'
        en.smsParts == 1
        preview([key: 'DANGER', language: 'zh-CN', text: '危' * 71]).smsParts == 2
        preview([key: 'DANGER', language: 'en', text: '[' * 81]).smsParts == 2

        and:
        text('WANDER', 'zh-CN') == before
    }

    def "a fence's own template is previewed with that fence's name"() {
        given:
        String fence = scene.circleFence('BAN', '预览禁渔区', 107.39, 29.70, 100, 30).toString()

        when:
        def answer = preview([key: 'LOITER_OFFICERS', language: 'zh-CN', fenceId: fence, text: '“{place}”：{name}'])

        then:
        answer.fenceId == fence
        answer.text == '“预览禁渔区”：王秀英'
    }

    def "a draft with #why is refused with 400 naming #field, as saving it would be"() {
        when:
        preview(draft)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        def problem = e.response.getBody(Map).get()
        problem.errors[0].field == field
        problem.detail.contains(says)

        where:
        why                      | draft                                                       || field      | says
        'an unknown placeholder' | [key: 'WANDER', language: 'zh-CN', text: '{name} 在 {adress}'] || 'text'     | 'unknown placeholder {adress}'
        'an empty text'          | [key: 'WANDER', language: 'en', text: ' ']                  || 'text'     | 'WANDER (en) is empty'
        'an unknown key'         | [key: 'PARTY', language: 'en', text: 'x']                   || 'key'      | 'PARTY'
        'an unknown language'    | [key: 'SOS', language: 'fr', text: 'x']                     || 'language' | 'fr'
        'a fence that is not'    | [key: 'SOS', language: 'en', text: 'x', fenceId: '987654321'] || 'fenceId' | 'no fence 987654321'
    }

    def "only an admin may preview a text"() {
        when:
        preview([key: 'SOS', language: 'en', text: 'x'], scene.user('DISPATCHER').token)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.FORBIDDEN
    }

    def "only an admin may read or change the texts"() {
        given:
        String dispatcher = scene.user('DISPATCHER').token

        when:
        list(dispatcher)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.FORBIDDEN
    }
}
