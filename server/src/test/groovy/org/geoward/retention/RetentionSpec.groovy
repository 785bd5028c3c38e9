package org.geoward.retention

import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import java.sql.SQLException
import java.sql.Timestamp
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.LocalTime
import java.time.ZoneId
import javax.sql.DataSource
import org.geoward.audit.Http
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.subject.PrivacyData
import org.geoward.support.Accounts
import spock.lang.Specification

import static org.geoward.evaluate.SubjectKind.GUARDIAN
import static org.geoward.evaluate.SubjectKind.OFFICER
import static org.geoward.evaluate.SubjectKind.VISITOR
import static org.geoward.evaluate.SubjectKind.WARD

/**
 * Retention at day boundaries in the configured zone (Asia/Shanghai, UTC+8): fixes are kept from the midnight N days
 * before the run's day; whole day partitions of each kind older than that kind's retention are dropped, their
 * evidence kept.
 * Each feature uses days of its own, long past, so that none touches another's rows or any other spec's.
 */
@MicronautTest(transactional = false)
class RetentionSpec extends Specification {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai")

    @Inject
    EmbeddedServer server

    @Inject
    @Client("/")
    HttpClient micronautClient

    @Inject
    UserRepository users

    @Inject
    PasswordHasher hasher

    @Inject
    DataSource dataSource

    @Inject
    RetentionJob job

    @Inject
    Partitions partitions

    PrivacyData db

    def setup() {
        db = new PrivacyData(dataSource)
    }

    static LocalDate today() { LocalDate.now(ZONE) }

    /** The instant of {@code day} at {@code time} in Shanghai. */
    static Instant at(LocalDate day, String time) { day.atTime(LocalTime.parse(time)).atZone(ZONE).toInstant() }

    /** Removes what an earlier run of this spec left on {@code days} days from {@code first} (the database is kept). */
    void clear(LocalDate first, int days) {
        db.rows("DELETE FROM sighting WHERE time >= ? AND time < ?",
                [Timestamp.from(at(first, "00:00")), Timestamp.from(at(first.plusDays(days), "00:00"))])
    }

    long subject(String kind) {
        db.first("INSERT INTO subject (kind, name) VALUES (?, ?) RETURNING id", [kind, "保留测试 ${UUID.randomUUID()}".toString()]) as long
    }

    /** A fix with its subject's kind, as ingest writes it (V44: the kind is the partition). */
    void fix(long subjectId, Instant time, String photo = null) {
        db.rows("""INSERT INTO sighting (subject_id, time, pos, evidence_url, kind)
                   VALUES (?, ?, 'SRID=4326;POINT(107.39 29.7)', ?, (SELECT kind FROM subject WHERE id = ?))""",
                [subjectId, Timestamp.from(time), photo, subjectId])
    }

    /** The table a fix of {@code subjectId} at {@code time} is stored in. */
    String placed(long subjectId, Instant time) {
        db.first("SELECT tableoid::regclass::text FROM sighting WHERE subject_id = ? AND time = ?", [subjectId, Timestamp.from(time)])
    }

    boolean kept(long subjectId, Instant time) {
        db.count("SELECT count(*) FROM sighting WHERE subject_id = ? AND time = ?", [subjectId, Timestamp.from(time)]) == 1
    }

    long alert(long subjectId, Instant opened, Instant resolved, String photo = null) {
        db.first("INSERT INTO alert (type, subject_id, opened_at, status, resolved_at, evidence_url) VALUES ('SOS', ?, ?, ?, ?, ?) RETURNING id",
                [subjectId, Timestamp.from(opened), resolved ? "RESOLVED" : "OPEN", resolved ? Timestamp.from(resolved) : null, photo]) as long
    }

    def "a day partition older than the longest retention is dropped whole, up to the zone's midnight"() {
        given: "two days long past, each with its partition, and a ward seen just before and at the midnight between"
        LocalDate day = today().minusDays(200)
        clear(day, 2)
        partitions.make(WARD, day, "Asia/Shanghai")
        partitions.make(WARD, day.plusDays(1), "Asia/Shanghai")
        long ward = subject("WARD")
        Instant lastOfDay = at(day, "23:59:59.999999")
        Instant midnight = at(day.plusDays(1), "00:00")
        fix(ward, lastOfDay)
        fix(ward, midnight)
        assert db.count("SELECT count(*) FROM ${Partitions.nameOf(WARD, day)}".toString()) == 1

        when: "the run's day is 90 days after the second day: it is the oldest day kept"
        def run = job.run(at(day.plusDays(91), "12:00"))

        then:
        run.error() == null
        run.droppedPartitions().contains(Partitions.nameOf(WARD, day))
        !run.droppedPartitions().contains(Partitions.nameOf(WARD, day.plusDays(1)))
        run.droppedRows() >= 1
        !kept(ward, lastOfDay)
        kept(ward, midnight)
        partitions.days()*.name.contains(Partitions.nameOf(WARD, day.plusDays(1)))
        !partitions.days()*.name.contains(Partitions.nameOf(WARD, day))
    }

    def "fixes that are evidence of an open alert, or of one resolved within its retention, outlive their day"() {
        given:
        LocalDate day = today().minusDays(210)
        clear(day, 1)
        partitions.make(WARD, day, "Asia/Shanghai")
        long open = subject("WARD")
        alert(open, at(day, "20:00"), null)
        fix(open, at(day, "18:30"))          // more than an hour before the alert: not evidence
        fix(open, at(day, "19:30"))
        fix(open, at(day, "21:00"))
        long resolvedLongAgo = subject("WARD")
        alert(resolvedLongAgo, at(day, "20:00"), at(day, "22:00"))
        fix(resolvedLongAgo, at(day, "21:00"))
        long resolvedRecently = subject("WARD")
        alert(resolvedRecently, at(day, "20:00"), at(day.plusDays(60), "10:00"))
        fix(resolvedRecently, at(day, "21:00"))

        when:
        def run = job.run(at(day.plusDays(91), "12:00"))

        then:
        run.droppedPartitions().contains(Partitions.nameOf(WARD, day))
        run.keptEvidence() >= 3
        !kept(open, at(day, "18:30"))
        kept(open, at(day, "19:30"))
        kept(open, at(day, "21:00"))
        !kept(resolvedLongAgo, at(day, "21:00"))
        kept(resolvedRecently, at(day, "21:00"))
        db.count("SELECT count(*) FROM sighting_ward_default WHERE subject_id = ?", [open]) == 2
    }

    def "visitors' days are dropped whole after 7 days, officers' after 30, wards' after 90, each at the zone's midnight"() {
        given: "the days on either side of each kind's cut, with partitions of every kind"
        LocalDate runDay = today().minusDays(20)
        Instant asOf = at(runDay, "15:00")
        List<LocalDate> days = [runDay.minusDays(8), runDay.minusDays(7), runDay.minusDays(31), runDay.minusDays(30)]
        days.each { d -> Partitions.KINDS.each { k -> partitions.make(k, d, "Asia/Shanghai") } }
        long visitor = subject("VISITOR")
        long officer = subject("OFFICER")
        long ward = subject("WARD")
        fix(visitor, at(runDay.minusDays(7), "00:00").minusMillis(1))
        fix(visitor, at(runDay.minusDays(7), "00:00"))
        fix(officer, at(runDay.minusDays(30), "00:00").minusMillis(1))
        fix(officer, at(runDay.minusDays(30), "00:00"))
        fix(ward, at(runDay.minusDays(30), "00:00").minusMillis(1))
        def wardPlace = placed(ward, at(runDay.minusDays(30), "00:00").minusMillis(1))
        def visitorPlace = placed(visitor, at(runDay.minusDays(7), "00:00").minusMillis(1))

        when:
        def run = job.run(asOf)
        def dropped = run.droppedPartitions()

        then: "each kind's own day before its cut is dropped, and no other"
        run.error() == null
        visitorPlace == Partitions.nameOf(VISITOR, runDay.minusDays(8))
        wardPlace == Partitions.nameOf(WARD, runDay.minusDays(31))
        dropped.contains(Partitions.nameOf(VISITOR, runDay.minusDays(8)))
        !dropped.contains(Partitions.nameOf(VISITOR, runDay.minusDays(7)))
        dropped.contains(Partitions.nameOf(OFFICER, runDay.minusDays(31)))
        !dropped.contains(Partitions.nameOf(OFFICER, runDay.minusDays(30)))
        !dropped.contains(Partitions.nameOf(WARD, runDay.minusDays(31)))
        !dropped.contains(Partitions.nameOf(GUARDIAN, runDay.minusDays(31)))
        !kept(visitor, at(runDay.minusDays(7), "00:00").minusMillis(1))
        kept(visitor, at(runDay.minusDays(7), "00:00"))
        !kept(officer, at(runDay.minusDays(30), "00:00").minusMillis(1))
        kept(officer, at(runDay.minusDays(30), "00:00"))
        kept(ward, at(runDay.minusDays(30), "00:00").minusMillis(1))
    }

    def "fixes written without a kind are expired row by row by their subject's kind"() {
        given:
        LocalDate runDay = today().minusDays(25)
        long visitor = subject("VISITOR")
        Instant old = at(runDay.minusDays(7), "00:00").minusMillis(1)
        Instant fresh = at(runDay.minusDays(7), "00:00")
        [old, fresh].each { t ->
            db.rows("INSERT INTO sighting (subject_id, time, pos) VALUES (?, ?, 'SRID=4326;POINT(107.39 29.7)')", [visitor, Timestamp.from(t)])
        }

        when:
        def run = job.run(at(runDay, "15:00"))

        then:
        placed(visitor, fresh) == "sighting_unclassified"
        run.deletedRows() >= 1
        !kept(visitor, old)
        kept(visitor, fresh)
    }

    def "expired evidence photos and phone numbers of visitors long gone are removed"() {
        given:
        Instant now = Instant.now()
        long gone = subject("VISITOR")
        long seen = subject("VISITOR")
        long ward = subject("WARD")
        db.rows("UPDATE subject SET phone = '+8613700000001', created_at = ? WHERE id = ?", [Timestamp.from(now - Duration.ofDays(20)), gone])
        db.rows("UPDATE subject SET phone = '+8613700000002', created_at = ? WHERE id = ?", [Timestamp.from(now - Duration.ofDays(20)), seen])
        db.rows("INSERT INTO subject_position (subject_id, time, pos) VALUES (?, ?, 'SRID=4326;POINT(107.39 29.7)')",
                [seen, Timestamp.from(now - Duration.ofDays(1))])
        long visitorAlert = alert(gone, now - Duration.ofDays(12), now - Duration.ofDays(11), "https://evidence.example/v.jpg")
        long wardAlert = alert(ward, now - Duration.ofDays(12), now - Duration.ofDays(11), "https://evidence.example/w.jpg")

        when:
        def run = job.run(now)

        then:
        run.clearedPhotos() >= 1
        run.clearedPhones() >= 1
        db.first("SELECT phone FROM subject WHERE id = ?", [gone]) == null
        db.first("SELECT phone FROM subject WHERE id = ?", [seen]) == "+8613700000002"
        db.first("SELECT evidence_url FROM alert WHERE id = ?", [visitorAlert]) == null
        db.first("SELECT evidence_url FROM alert WHERE id = ?", [wardAlert]) == "https://evidence.example/w.jpg"
    }

    def "the partitioned table keeps the (subject, event time) guard"() {
        given:
        long ward = subject("WARD")
        Instant time = Instant.now().minusSeconds(60)
        fix(ward, time)

        when:
        fix(ward, time)

        then:
        def e = thrown(SQLException)
        e.SQLState == "23505"
    }

    def "admins see the settings, the partitions and the runs, and can run it"() {
        given:
        def admin = new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.ADMIN))
        def family = new Http(server.URL, Accounts.token(micronautClient, users, hasher, Role.FAMILY))

        when:
        def ran = admin.post("/api/retention/run", "")
        def status = admin.get("/api/retention").json

        then:
        ran.status == 200
        ran.json.error == null
        status.enabled == false
        status.zone == "Asia/Shanghai"
        status.days == [WARD: 90, GUARDIAN: 90, OFFICER: 30, VISITOR: 7]
        status.partitions*.name.contains(Partitions.nameOf(VISITOR, today()))
        status.partitions*.name.contains(Partitions.nameOf(WARD, today().plusDays(3)))
        status.runs[0].id == ran.json.id
        family.get("/api/retention").status == 403
        family.post("/api/retention/run", "").status == 403
    }
}
