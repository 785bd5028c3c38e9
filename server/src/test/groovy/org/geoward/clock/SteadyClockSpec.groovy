package org.geoward.clock

import spock.lang.Specification

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset

/** The steady clock against a wall clock and a monotonic clock that the spec moves by hand. */
class SteadyClockSpec extends Specification {
    static final Instant START = Instant.parse('2026-12-06T08:00:00Z')

    Instant wallNow = START
    long nanos = 1_000_000_000L
    Clock wall = new Clock() {
        Instant instant() { wallNow }
        ZoneId getZone() { ZoneOffset.UTC }
        Clock withZone(ZoneId zone) { this }
    }
    SteadyClock steady = new SteadyClock(wall, Duration.ofHours(1), { nanos })

    /** Real time passes: both clocks move. */
    void pass(Duration d) {
        wallNow += d
        nanos += d.toNanos()
    }

    def "while the wall clock keeps time the steady clock is the wall clock, small steps and drift included"() {
        when:
        pass(Duration.ofMinutes(5))
        wallNow += Duration.ofMillis(1500)  // an NTP step

        then:
        steady.instant() == wallNow
        steady.latest() == wallNow
        steady.jumped() == Duration.ZERO
    }

    def "a jump forward or back is not followed: the steady clock goes on at the monotonic clock's pace"() {
        when:
        pass(Duration.ofMinutes(5))
        wallNow += jump
        pass(Duration.ofSeconds(30))

        then:
        steady.instant() == START + Duration.ofMinutes(5) + Duration.ofSeconds(30)
        steady.jumped() == jump
        steady.latest() == [steady.instant(), wallNow].max()

        where:
        jump << [Duration.ofHours(2), Duration.ofHours(-1)]
    }

    def "a jump undone is followed again, and a jump that stays is followed after the hold"() {
        when: 'the clock jumps an hour ahead and is set right a minute later'
        steady.instant()
        wallNow += Duration.ofHours(1)
        pass(Duration.ofMinutes(1))
        steady.instant()
        wallNow -= Duration.ofHours(1)

        then:
        steady.instant() == wallNow

        when: 'it jumps two hours ahead and stays there'
        wallNow += Duration.ofHours(2)
        Instant before = steady.instant()
        pass(Duration.ofMinutes(59))

        then: 'for the hold the steady clock keeps the time without the jump'
        before == wallNow - Duration.ofHours(2) - Duration.ofMinutes(59)
        steady.instant() == wallNow - Duration.ofHours(2)

        when:
        pass(Duration.ofMinutes(1))

        then: 'after it, the wall clock is taken as right'
        steady.instant() == wallNow
        steady.jumped() == Duration.ZERO
    }
}
