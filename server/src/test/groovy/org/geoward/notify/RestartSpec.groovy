package org.geoward.notify

import io.micronaut.context.ApplicationContext
import io.micronaut.transaction.TransactionOperations
import org.geoward.alert.AlertEvents
import spock.lang.Specification
import spock.util.concurrent.PollingConditions

/** The outbox lives in the database: a message that failed before a restart is delivered after it, once. */
class RestartSpec extends Specification {

    PollingConditions eventually = new PollingConditions(timeout: 20, delay: 0.2)

    def "a restart between attempts still delivers, with the same message id"() {
        given: 'a server, and a receiver that is down'
        def receiver = new Receiver(Integer.MAX_VALUE)
        ApplicationContext second = null
        def first = ApplicationContext.run(["micronaut.server.port": -1], "test")
        def scene = new Scene(first.getBean(TransactionOperations), first.getBean(AlertEvents))
        long subscription = scene.value(
                "INSERT INTO webhook_subscription (url, secret) VALUES (?, 'restart-secret-123456') RETURNING id",
                [receiver.url()]) as long
        def alert = scene.openAlert('SOS', scene.subject('WARD', '吴奶奶'), null)
        eventually.eventually {
            assert scene.notifications(alert).find { it.channel == 'WEBHOOK' }.attempts >= 1
        }

        when: 'the server stops, the receiver recovers, and a new server starts on the same database'
        first.close()
        receiver.failuresLeft.set(0)
        second = ApplicationContext.run(["micronaut.server.port": -1], "test")
        scene = new Scene(second.getBean(TransactionOperations), second.getBean(AlertEvents))

        then:
        eventually.eventually {
            assert scene.notifications(alert).find { it.channel == 'WEBHOOK' }.status == 'SENT'
        }
        receiver.delivered().size() == 1
        receiver.calls*.id.unique().size() == 1
        Receiver.isSigned(receiver.delivered()[0], 'restart-secret-123456')
        def row = scene.notifications(alert).find { it.channel == 'WEBHOOK' }
        row.attempts == receiver.calls.size()
        scene.value("SELECT count(*) FROM notification_attempt WHERE notification_id = ?", [row.id]) == receiver.calls.size()

        cleanup:
        scene?.rows("UPDATE webhook_subscription SET active = false WHERE id = ?", [subscription])
        second?.close()
        receiver.close()
    }
}
