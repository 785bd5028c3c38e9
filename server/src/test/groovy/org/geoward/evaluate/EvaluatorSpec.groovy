package org.geoward.evaluate

import static org.geoward.evaluate.Tracks.*

import java.time.LocalDate
import java.time.LocalTime
import java.time.ZoneId
import spock.lang.Specification

/** Replays short tracks around Fuling (107.39 E, 29.70 N) against a few fences. */
class EvaluatorSpec extends Specification {
    static final ZoneId CHONGQING = ZoneId.of('Asia/Shanghai')

    // Ward 1's home: a 200 m circle. 1 m east is 1.0333e-5 degrees of longitude here.
    static final Fence HOME = fence(id: 1, kind: FenceKind.SAFE, geometry: 'POINT (107.39 29.70)', radius: 200, subjects: [1L])
    // A railway: 20 m wide corridor running east-west.
    static final Fence RAILWAY = fence(id: 2, kind: FenceKind.DANGER, geometry: 'LINESTRING (107.40 29.69, 107.42 29.69)', buffer: 10)
    // A river-bank rectangle (about 390 x 220 m) where fishing loiterers are banned.
    static final Fence BANK = fence(id: 3, kind: FenceKind.BAN, geometry: 'POLYGON ((107.380 29.705, 107.384 29.705, 107.384 29.707, 107.380 29.707, 107.380 29.705))', dwell: 30)
    // A pond with an island: the island (hole) is outside.
    static final Fence POND = fence(id: 4, kind: FenceKind.DANGER, geometry: 'POLYGON ((107.43 29.70, 107.44 29.70, 107.44 29.71, 107.43 29.71, 107.43 29.70), (107.433 29.703, 107.437 29.703, 107.437 29.707, 107.433 29.707, 107.433 29.703))')
    static final FenceIndex INDEX = FenceIndex.of([HOME, RAILWAY, BANK, POND])

    def "a ward's track around its safe zone raises WANDER only when it has clearly left, and RETURNED when back"() {
        expect:
        replay(track, INDEX) == alerts

        where:
        track                                                                                                   || alerts
        [[107.39, 29.70, '08:00'], [107.39155, 29.70, '08:02'], [107.39310, 29.70, '08:04']]                   || ['08:04 OPEN WANDER@1']
        [[107.39, 29.70, '08:00'], [107.39191, 29.70, '08:01', 5], [107.39222, 29.70, '08:02', 5],
         [107.39196, 29.70, '08:03', 5], [107.39219, 29.70, '08:04', 5], [107.39194, 29.70, '08:05', 5]]       || []
        [[107.39, 29.70, '08:00'], [107.39310, 29.70, '08:04'], [107.39413, 29.70, '08:06'],
         [107.39155, 29.70, '08:09']]                                                                           || ['08:04 OPEN WANDER@1', '08:09 RESOLVE WANDER@1 RETURNED']
        [[107.39, 29.70, '08:00'], [107.39310, 29.70, '08:04'], [107.39219, 29.70, '08:05', 5]]                || ['08:04 OPEN WANDER@1']
        [[107.39413, 29.70, '08:00']]                                                                           || ['08:00 OPEN WANDER@1']
        [[107.39, 29.70, '08:00'], [107.39413, 29.70, '08:05', 600]]                                           || []
        [[107.39, 29.70, '08:00'], [107.39413, 29.70, '08:05', 250]]                                           || []
        [[107.39, 29.70, '08:00'], [107.39700, 29.70, '08:05', 250]]                                           || ['08:05 OPEN WANDER@1']
    }

    def "a ward with a guardian beside it is held back and raises WANDER at the first fix alone"() {
        given:
        def guardianFix = new Fix(9, SubjectKind.GUARDIAN, t('08:04'), 107.39330, 29.70, 5, false, [] as Set, null)
        GuardianLocator locator = { id -> Optional.ofNullable(id == 9L ? guardianFix : null) }

        expect:
        replay(track, INDEX, [guardians: [9L], locator: viaFix ? locator : GuardianLocator.none()]) == alerts

        where:
        track                                                                                               | viaFix || alerts
        [[107.39, 29.70, '08:00'], [107.39310, 29.70, '08:04', 5, [9L]], [107.39413, 29.70, '08:05', 5, [9L]],
         [107.39413, 29.70, '08:07']]                                                                       | false  || ['08:07 OPEN WANDER@1']
        [[107.39, 29.70, '08:00'], [107.39310, 29.70, '08:05'], [107.39413, 29.70, '08:08']]               | true   || ['08:08 OPEN WANDER@1']
        [[107.39, 29.70, '08:00'], [107.39310, 29.70, '08:05'], [107.39155, 29.70, '08:08']]               | true   || []
        [[107.39, 29.70, '08:00'], [107.39310, 29.70, '08:07']]                                            | true   || ['08:07 OPEN WANDER@1']
    }

    def "a fix older than the last one changes nothing and a repeated time is a duplicate"() {
        given:
        def evaluator = new Evaluator()
        def state = new SubjectState()
        evaluator.evaluate(fix([107.39, 29.70, '08:00']), state, INDEX, [] as Set, GuardianLocator.none())
        evaluator.evaluate(fix([107.39, 29.70, '08:10']), state, INDEX, [] as Set, GuardianLocator.none())
        def before = state.toJson()

        when:
        def result = evaluator.evaluate(fix([107.39413, 29.70, time]), state, INDEX, [] as Set, GuardianLocator.none())

        then:
        result.outOfOrder() == outOfOrder
        result.duplicate() == duplicate
        result.transitions().isEmpty()
        state.toJson() == before

        where:
        time    || outOfOrder | duplicate
        '08:05' || true       | false
        '08:10' || false      | true
    }

    def "a first fix in the hysteresis band leaves the fence state unknown"() {
        given:
        def state = new SubjectState()

        when:
        new Evaluator().evaluate(fix([107.39196, 29.70, '08:00', 5]), state, INDEX, [] as Set, GuardianLocator.none())

        then:
        state.fence(1) == null
        state.lastFixTime() == t('08:00')
    }

    def "dwelling in a ban zone raises LOITER once at the first fix 30:00 after the episode start"() {
        expect:
        replay(track, INDEX, [subject: 5, kind: SubjectKind.VISITOR]) == alerts

        where:
        track                                                                                                || alerts
        [[107.382, 29.706, '10:00'], [107.382, 29.706, '10:10'], [107.382, 29.706, '10:20'],
         [107.382, 29.706, '10:30'], [107.382, 29.706, '10:40']]                                            || ['10:30 OPEN LOITER@3']
        [[107.382, 29.706, '10:00'], [107.382, 29.706, '10:10'], [107.382, 29.706, '10:20'],
         [107.382, 29.706, '10:29:59']]                                                                     || []
        [[107.382, 29.706, '10:00'], [107.382, 29.706, '10:10'], [107.382, 29.706, '10:30'],
         [107.382, 29.706, '10:45'], [107.382, 29.706, '10:59:59'], [107.382, 29.706, '11:00']]             || ['11:00 OPEN LOITER@3']
        [[107.382, 29.706, '10:00'], [107.386, 29.706, '10:20'], [107.382, 29.706, '10:25'],
         [107.382, 29.706, '10:50']]                                                                        || []
        [[107.382, 29.706, '10:00'], [107.382, 29.706, '10:15'], [107.382, 29.706, '10:30']]               || ['10:30 OPEN LOITER@3']
    }

    def "two sparse fixes on both sides of a thin railway raise DANGER for a ward but not for a visitor"() {
        expect:
        replay(track, INDEX, [subject: 7, kind: kind]) == alerts

        where:
        track                                                                      | kind                || alerts
        [[107.41, 29.693, '09:00'], [107.41, 29.687, '09:05']]                    | SubjectKind.WARD    || ['09:05 OPEN DANGER@2']
        [[107.41, 29.693, '09:00'], [107.41, 29.687, '09:05']]                    | SubjectKind.VISITOR || []
        [[107.41, 29.693, '09:00'], [107.45, 29.687, '09:05']]                    | SubjectKind.WARD    || []
        [[107.41, 29.69023, '09:00'], [107.41, 29.68977, '09:01']]                | SubjectKind.WARD    || []
    }

    def "a ward entering a pond raises DANGER once, but its island is outside"() {
        expect:
        replay(track, INDEX, [subject: 7]) == alerts

        where:
        track                                                                                              || alerts
        [[107.4315, 29.705, '09:00']]                                                                     || ['09:00 OPEN DANGER@4']
        [[107.435, 29.705, '09:00']]                                                                      || []
        [[107.4315, 29.705, '09:00'], [107.445, 29.705, '09:10'], [107.4315, 29.705, '09:20']]            || ['09:00 OPEN DANGER@4']
        [[107.445, 29.705, '09:00'], [107.4315, 29.705, '09:10'], [107.435, 29.705, '09:20']]             || ['09:10 OPEN DANGER@4']
    }

    def "overlapping ban and danger fences each raise their own alert"() {
        given:
        def danger = fence(id: 11, kind: FenceKind.DANGER, geometry: 'POINT (107.382 29.706)', radius: 80)
        def index = FenceIndex.of([BANK, danger, HOME])

        expect:
        replay([[107.386, 29.706, '10:00'], [107.382, 29.706, '10:01'], [107.3821, 29.706, '10:11'],
                [107.3821, 29.706, '10:21'], [107.3821, 29.706, '10:31']], index, [subject: 7]) ==
                ['10:01 OPEN DANGER@11', '10:31 OPEN LOITER@3']
    }

    def "fences outside their seasonal or night-time window are ignored"() {
        given:
        def seasonal = new ActivityWindow(LocalDate.parse('2026-06-01'), LocalDate.parse('2026-09-30'), null, null, CHONGQING, [] as Set)
        def night = new ActivityWindow(null, null, LocalTime.parse('22:00'), LocalTime.parse('06:00'), CHONGQING, [] as Set)
        def ban = fence(id: 21, kind: FenceKind.BAN, geometry: BANK.geometry(), dwell: 30, window: seasonal)
        def home = fence(id: 22, kind: FenceKind.SAFE, geometry: 'POINT (107.39 29.70)', radius: 200, subjects: [1L], window: night)
        def index = FenceIndex.of([ban, home])

        expect:
        replay(track, index) == alerts

        where:
        track                                                                                   || alerts
        [[107.382, 29.706, '2026-07-01T02:00:00Z'], [107.382, 29.706, '2026-07-01T02:15:00Z'],
         [107.382, 29.706, '2026-07-01T02:30:00Z']]                                             || ['02:30 OPEN LOITER@21']
        [[107.382, 29.706, '2026-10-01T02:00:00Z'], [107.382, 29.706, '2026-10-01T02:15:00Z'],
         [107.382, 29.706, '2026-10-01T02:30:00Z']]                                             || []
        [[107.39413, 29.70, '2026-07-01T13:30:00Z']]                                            || []
        [[107.39413, 29.70, '2026-07-01T13:30:00Z'], [107.39413, 29.70, '2026-07-01T14:30:00Z']] || ['14:30 OPEN WANDER@22']
        [[107.39413, 29.70, '2026-07-01T21:59:00Z'], [107.39413, 29.70, '2026-07-01T22:00:00Z']] || ['21:59 OPEN WANDER@22']
    }

    def "SOS opens at once and only once while open"() {
        given:
        def evaluator = new Evaluator()
        def state = new SubjectState()
        def sos = { String time -> new Fix(1, SubjectKind.WARD, t(time), 107.39, 29.70, 5, true, [] as Set, null) }

        when:
        def first = evaluator.evaluate(sos('08:00'), state, INDEX, [] as Set, GuardianLocator.none())
        def second = evaluator.evaluate(sos('08:01'), state, INDEX, [] as Set, GuardianLocator.none())

        then:
        first.transitions().collect { describe(it) } == ['08:00 OPEN SOS']
        second.transitions().isEmpty()
    }

    def "OFFLINE opens once after the silence and the next fix resolves it"() {
        given:
        def evaluator = new Evaluator()
        def state = new SubjectState()
        evaluator.evaluate(fix([107.39, 29.70, '08:00']), state, INDEX, [] as Set, GuardianLocator.none())

        expect:
        evaluator.checkOffline(1, state, t('08:29:59'), 30).isEmpty()
        evaluator.checkOffline(1, state, t('08:30'), 30).collect { describe(it) } == ['08:30 OPEN OFFLINE']
        evaluator.checkOffline(1, state, t('08:45'), 30).isEmpty()
        evaluator.evaluate(fix([107.39, 29.70, '09:00']), state, INDEX, [] as Set, GuardianLocator.none())
                .transitions().collect { describe(it) } == ['09:00 RESOLVE OFFLINE REPORTED']
    }

    def "a restart from the stored JSON state keeps the ban episode start and the open alerts"() {
        given:
        def evaluator = new Evaluator()
        def state = new SubjectState()
        def visitor = { String time -> fix([107.382, 29.706, time], 5, SubjectKind.VISITOR) }
        evaluator.evaluate(visitor('10:00'), state, INDEX, [] as Set, GuardianLocator.none())
        evaluator.evaluate(visitor('10:15'), state, INDEX, [] as Set, GuardianLocator.none())
        evaluator.checkOffline(5, state, t('10:20'), 5)

        when:
        def restored = SubjectState.fromJson(state.toJson())
        def result = evaluator.evaluate(visitor('10:30'), restored, INDEX, [] as Set, GuardianLocator.none())

        then:
        restored.fence(3).episodeStart() == t('10:00')
        result.transitions().collect { describe(it) } == ['10:30 RESOLVE OFFLINE REPORTED', '10:30 OPEN LOITER@3']
        SubjectState.fromJson(restored.toJson()).toJson() == restored.toJson()
    }
}
