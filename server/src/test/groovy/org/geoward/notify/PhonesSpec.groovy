package org.geoward.notify

import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.alert.AlertEvents
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import java.sql.Connection
import org.geoward.problem.ProblemException
import org.geoward.subject.PhoneNumbers
import spock.lang.Specification

@MicronautTest(transactional = false)
class PhonesSpec extends Specification {

    @Inject
    AlertEvents alertEvents

    @Inject
    TransactionOperations<Connection> tx

    @Inject
    VisitorPhoneEraser eraser

    def "#phone is #verdict"() {
        expect:
        accepted(phone) == valid

        where:
        phone              || valid
        "13800000000"      || true
        "138 0000 0000"    || true
        "+8613800000000"   || true
        "+14155550123"     || true
        "12800000000"      || false
        "1380000000"       || false
        "+0123456789"      || false
        "call me"          || false
        null               || false
        verdict = valid ? "a phone number" : "refused"
    }

    def "#phone is masked as #masked"() {
        expect:
        PhoneNumbers.mask(phone) == masked

        where:
        phone            || masked
        "13812340000"    || "138****0000"
        "+8613812340000" || "+86138****0000"
        "+14155550123"   || "+14****0123"
        "12345"          || "****"
    }

    def "a visitor's phone is erased 30 days after their last alert closed, not before"() {
        given:
        def scene = new Scene(tx, alertEvents)
        def old = scene.subject('VISITOR', '访客 旧', Scene.phone())
        def recent = scene.subject('VISITOR', '访客 新', Scene.phone())
        def ward = scene.subject('WARD', '老人', Scene.phone())
        [[old, 31], [recent, 29], [ward, 90]].each { subject, days ->
            scene.rows("""INSERT INTO alert (type, status, subject_id, opened_at, resolved_at)
                          VALUES ('LOITER', 'RESOLVED', ?, now() - make_interval(days => ?), now() - make_interval(days => ?))""",
                    [subject, days + 1, days])
        }
        scene.rows("""INSERT INTO sighting (subject_id, time, pos, phone)
                      VALUES (?, now() - interval '40 days', ST_SetSRID(ST_MakePoint(107.39, 29.70), 4326)::geography, '13900000001')""",
                [old])

        when:
        eraser.erase()

        then:
        scene.value("SELECT phone FROM subject WHERE id = ?", [old]) == null
        scene.value("SELECT count(*) FROM sighting WHERE subject_id = ? AND phone IS NOT NULL", [old]) == 0
        scene.value("SELECT phone FROM subject WHERE id = ?", [recent]) != null
        scene.value("SELECT phone FROM subject WHERE id = ?", [ward]) != null
    }

    /** Whether the one phone rule takes {@code phone} (null is no number, so not taken). */
    private static boolean accepted(String phone) {
        try {
            PhoneNumbers.normalize(phone, 'phone') != null
        } catch (ProblemException e) {
            false
        }
    }
}
