package org.geoward.evaluate

import java.time.Instant
import java.time.LocalDate
import java.time.LocalTime
import java.time.ZoneId
import spock.lang.Specification

class ActivityWindowSpec extends Specification {
    static final ZoneId CQ = ZoneId.of('Asia/Shanghai')

    def "a window is active by date range and daily hours in its zone, also across midnight"() {
        given:
        def window = new ActivityWindow(from ? LocalDate.parse(from) : null, until ? LocalDate.parse(until) : null,
                daily ? LocalTime.parse(daily[0]) : null, daily ? LocalTime.parse(daily[1]) : null, CQ, [] as Set)

        expect:
        window.isActiveAt(Instant.parse(at)) == active

        where:
        from         | until        | daily              | at                     || active
        null         | null         | null               | '2026-01-01T00:00:00Z' || true
        '2026-03-01' | '2026-06-30' | null               | '2026-06-30T15:59:59Z' || true
        '2026-03-01' | '2026-06-30' | null               | '2026-06-30T16:00:00Z' || false
        '2026-03-01' | '2026-06-30' | null               | '2026-02-28T16:00:00Z' || true
        null         | null         | ['22:00', '06:00'] | '2026-07-01T14:00:00Z' || true
        null         | null         | ['22:00', '06:00'] | '2026-07-01T21:59:59Z' || true
        null         | null         | ['22:00', '06:00'] | '2026-07-01T22:00:00Z' || false
        null         | null         | ['22:00', '06:00'] | '2026-07-01T13:59:59Z' || false
        null         | null         | ['08:00', '18:00'] | '2026-07-01T03:00:00Z' || true
        null         | null         | ['08:00', '18:00'] | '2026-07-01T10:00:00Z' || false
    }
}
