package org.geoward.notify

import io.micronaut.http.client.HttpClient
import org.geoward.alert.AlertEvents
import org.geoward.alert.AlertStatus
import io.micronaut.http.client.annotation.Client
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import java.sql.Connection
import org.geoward.security.PasswordHasher
import spock.lang.Specification
import spock.util.concurrent.PollingConditions

@MicronautTest(transactional = false)
class OutboxSpec extends Specification {

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

    def setup() {
        scene = new Scene(tx, alertEvents, http, hasher)
    }

    List<Map> sms(String phone) {
        scene.rows("SELECT * FROM sms_message WHERE phone = ? ORDER BY id", [phone])
    }

    def "a loiter episode with a known phone sends one warning with the fence's default template"() {
        given:
        def phone = Scene.phone()
        def visitor = scene.subject('VISITOR', '访客 A', phone)
        def fence = scene.circleFence('BAN', '长江涪陵段禁渔区', 107.39, 29.70, 300, 30)

        when:
        def alert = scene.openAlert('LOITER', visitor, fence)

        then:
        eventually.eventually {
            assert sms(phone)*.text == ['【涪陵渔政】您已在长江涪陵段禁渔区停留30分钟。长江十年禁渔，劝君不捕江里鱼，万千鱼仔在腹中。请尽快离开禁渔区，谢谢配合。']
        }
        scene.notifications(alert).findAll { it.channel == 'SMS' }*.status == ['SENT']
    }

    def "a second loiter episode of the same phone within the quiet period sends nothing and is kept as SUPPRESSED"() {
        given:
        def phone = Scene.phone()
        def visitor = scene.subject('VISITOR', '访客 B', phone)
        def fence = scene.circleFence('BAN', '禁渔区 B', 107.39, 29.70, 300, 30)
        def first = scene.openAlert('LOITER', visitor, fence)
        scene.resolve(first, 'LEFT')

        when:
        def second = scene.openAlert('LOITER', visitor, fence)

        then:
        def suppressed = scene.notifications(second).find { it.channel == 'SMS' }
        suppressed.status == 'SUPPRESSED'
        suppressed.last_error.contains('quiet period')
        eventually.eventually {
            assert scene.notifications(first).find { it.channel == 'SMS' }.status == 'SENT'
        }
        sleep(1500)   // two polls of the worker
        sms(phone).size() == 1
    }

    def "the warning goes to the phone of the visitor's latest sighting when the subject has none, with the fence's own template"() {
        given:
        def phone = Scene.phone()
        def visitor = scene.subject('VISITOR', '访客 C')
        scene.rows("""INSERT INTO sighting (subject_id, time, pos, phone)
                      VALUES (?, now() - interval '1 minute', ST_SetSRID(ST_MakePoint(107.39, 29.70), 4326)::geography, ?)""",
                [visitor, phone])
        def fence = scene.circleFence('BAN', '乌江口', 107.39, 29.70, 300, 20)
        scene.rows("INSERT INTO notify_template (fence_id, alert_type, text) VALUES (?, 'LOITER', ?)",
                [fence, '您已在{place}停留{minutes}分钟，请离开。'])

        when:
        scene.openAlert('LOITER', visitor, fence)

        then:
        eventually.eventually {
            assert sms(phone)*.text == ['您已在乌江口停留20分钟，请离开。']
        }
    }

    def "a loiter alert tells fisheries officers in the app, and not police officers"() {
        given:
        def fisheries = scene.user('OFFICER', scene.subject('OFFICER', '渔政 王', null, 'FISHERIES'))
        def police = scene.user('OFFICER', scene.subject('OFFICER', '民警 李', null, 'POLICE'))
        def visitor = scene.subject('VISITOR', '访客 D')
        def fence = scene.circleFence('BAN', '禁渔区 D', 107.39, 29.70, 300, 30)

        when:
        def alert = scene.openAlert('LOITER', visitor, fence)

        then:
        def inApp = scene.notifications(alert).findAll { it.channel == 'IN_APP' }*.recipient
        inApp.contains(fisheries.id.toString())
        !inApp.contains(police.id.toString())
    }

    def "a ward's wander texts each guardian, tells the family and every dispatcher in the app"() {
        given:
        def ward = scene.subject('WARD', '王奶奶')
        def son = Scene.phone()
        def daughter = Scene.phone()
        def sonId = scene.subject('GUARDIAN', '儿子', son)
        scene.guard(ward, sonId)
        scene.guard(ward, scene.subject('GUARDIAN', '女儿', daughter))
        def family = scene.user('FAMILY', sonId, [ward])
        def dispatcher = scene.user('DISPATCHER')
        def fence = scene.circleFence('SAFE', '幸福小区', 107.39, 29.70, 200)

        when:
        def alert = scene.openAlert('WANDER', ward, fence)

        then:
        eventually.eventually {
            assert sms(son).size() == 1
            assert sms(daughter).size() == 1
        }
        sms(son)[0].text.startsWith('【Geoward】王奶奶于')
        sms(son)[0].text.contains('离开了安全区域“幸福小区”')
        def inApp = scene.notifications(alert).findAll { it.channel == 'IN_APP' }*.recipient
        inApp.containsAll([family.id.toString(), dispatcher.id.toString()])
    }

    def "a ward back in the safe zone tells the guardians so"() {
        given:
        def ward = scene.subject('WARD', '李爷爷')
        def phone = Scene.phone()
        scene.guard(ward, scene.subject('GUARDIAN', '孙女', phone))
        def fence = scene.circleFence('SAFE', '家', 107.39, 29.70, 200)
        def alert = scene.openAlert('WANDER', ward, fence)

        when:
        scene.resolve(alert, 'RETURNED')

        then:
        eventually.eventually {
            assert sms(phone).size() == 2
        }
        sms(phone)[1].text.contains('李爷爷已于')
        sms(phone)[1].text.contains('回到安全区域“家”')
    }

    def "a hand resolution without RETURNED texts nobody"() {
        given:
        def ward = scene.subject('WARD', '赵奶奶')
        def phone = Scene.phone()
        scene.guard(ward, scene.subject('GUARDIAN', '儿媳', phone))
        def alert = scene.openAlert('SOS', ward, null)

        when:
        scene.resolve(alert, 'FALSE_ALARM', 'dispatcher-1')

        then:
        scene.notifications(alert).findAll { it.channel == 'SMS' }.size() == 1
    }

    def "an alert change that rolls back leaves no notification behind"() {
        given:
        def ward = scene.subject('WARD', '钱爷爷')
        def phone = Scene.phone()
        scene.guard(ward, scene.subject('GUARDIAN', '女婿', phone))

        when: 'the transaction that opened the alert fails after the event was written'
        scene.inTransaction {
            long aid = scene.value("INSERT INTO alert (type, subject_id, opened_at) VALUES ('SOS', ?, now()) RETURNING id", [ward]) as long
            scene.append(aid, [['system', 'OPENED', AlertStatus.OPEN, [:]]])
            throw new IllegalStateException('boom')
        }

        then:
        thrown(Exception)
        scene.value("SELECT count(*) FROM notification WHERE recipient = ?", [phone]) == 0
    }
}
