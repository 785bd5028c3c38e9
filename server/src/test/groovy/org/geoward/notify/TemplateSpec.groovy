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
