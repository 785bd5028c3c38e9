package org.geoward.evaluate

import static org.geoward.evaluate.Tracks.*

import java.time.LocalTime
import java.time.Month
import java.time.ZoneId
import spock.lang.Specification

/**
 * Children near water: a DANGER river-bank corridor for MINORs, active June to September (and, for the second
 * fence, only 12:00-20:00 Shanghai time). Tracks are [lon, lat, time] rows; times are UTC (Shanghai is UTC+8).
 * 1 m north is 9.02e-6 degrees of latitude here.
 */
class ChildrenNearWaterSpec extends Specification {
    static final ZoneId SHANGHAI = ZoneId.of('Asia/Shanghai')
    static final Set<Month> SUMMER = EnumSet.of(Month.JUNE, Month.JULY, Month.AUGUST, Month.SEPTEMBER)

    /** The Wu river bank: a 50 m corridor either side of the line along 29.700 N, summer only, minors only. */
    static final Fence BANK = new Fence(50, '乌江岸边', FenceKind.DANGER, wkt('LINESTRING (107.380 29.700, 107.390 29.700)'),
            0, 50, Double.NaN, 0, 0, [] as Set, new ActivityWindow(null, null, null, null, SHANGHAI, SUMMER),
            EnumSet.of(SubjectCategory.MINOR))
    /** The same kind of bank further north, on summer afternoons only. */
    static final Fence AFTERNOON = new Fence(51, '长江岸边', FenceKind.DANGER, wkt('LINESTRING (107.380 29.720, 107.390 29.720)'),
            0, 50, Double.NaN, 0, 0, [] as Set,
            new ActivityWindow(null, null, LocalTime.parse('12:00'), LocalTime.parse('20:00'), SHANGHAI, SUMMER),
            EnumSet.of(SubjectCategory.MINOR))
    static final FenceIndex INDEX = FenceIndex.of([BANK, AFTERNOON])

    /** Replays the rows for ward 1 of {@code category}, split into batches of {@code batch} rows with a restart from
     * the stored JSON state between batches, and returns the transitions as 'HH:mm OPEN DANGER@50'. */
    static List<String> walk(List<List> rows, SubjectCategory category, int batch = 0,
                               SubjectKind kind = SubjectKind.WARD) {
        def evaluator = new Evaluator()
        SubjectState state = new SubjectState()
        List<String> out = []
        rows.collate(batch > 0 ? batch : Math.max(1, rows.size())).each { part ->
            state = SubjectState.fromJson(state.toJson())
            part.each { row ->
                def fix = new Fix(1, kind, t(row[2] as String), row[0] as double, row[1] as double,
                        (row.size() > 3 ? row[3] : 0) as double, false, [] as Set, category)
                def result = evaluator.evaluate(fix, state, INDEX, [] as Set, GuardianLocator.none())
                state = result.state()
                out.addAll(result.transitions().collect { describe(it) })
            }
        }
        out
    }

    // a summer afternoon: 2026-07-12 15:00-15:20 in Shanghai
    static final List<List> TO_THE_WATER = [
            [107.385, 29.7018, '2026-07-12T07:00:00Z'],      // 200 m from the line: outside
            [107.385, 29.70090, '2026-07-12T07:05:00Z'],     // 100 m: outside
            [107.385, 29.70040, '2026-07-12T07:06:00Z'],     // 44 m: in the band at the edge, decides nothing
            [107.385, 29.70047, '2026-07-12T07:07:00Z', 5],  // jitter at the edge
            [107.385, 29.70040, '2026-07-12T07:08:00Z'],
            [107.385, 29.70005, '2026-07-12T07:10:00Z'],     // 6 m from the line: clearly inside
            [107.385, 29.70005, '2026-07-12T07:10:00Z'],     // the same fix again
            [107.385, 29.70001, '2026-07-12T07:12:00Z'],
            [107.385, 29.70090, '2026-07-12T07:15:00Z'],     // back up the bank
            [107.385, 29.70002, '2026-07-12T07:20:00Z']]     // and down again: the DANGER alert is still open

    def "a minor walking down to the water in summer raises DANGER once, split into batches of #batch (0: one batch)"() {
        expect:
        walk(TO_THE_WATER, SubjectCategory.MINOR, batch) == ['07:10 OPEN DANGER@50']

        where:
        batch << [0, 1, 2, 3, 4, 6]
    }

    def "a #category ward on the same track raises nothing: the bank is for minors"() {
        expect:
        walk(TO_THE_WATER, category) == []

        where:
        category << [SubjectCategory.DEMENTIA, SubjectCategory.ELDER_ALONE, SubjectCategory.SEVERE_MENTAL_DISORDER, null]
    }

    def "a minor who is not a ward (a #kind) raises nothing either"() {
        expect:
        walk(TO_THE_WATER, SubjectCategory.MINOR, 0, kind) == []

        where:
        kind << [SubjectKind.VISITOR, SubjectKind.GUARDIAN]
    }

    def "the summer schedule decides: #when"() {
        expect:
        walk(track, SubjectCategory.MINOR) == alerts

        where:
        when                                     | track                                                                          || alerts
        'May 31, 23:59 Shanghai: not yet summer' | [[107.385, 29.7018, '2026-05-31T15:00:00Z'], [107.385, 29.70001, '2026-05-31T15:59:00Z']] || []
        'June 1, 00:00 Shanghai: summer'         | [[107.385, 29.7018, '2026-05-31T15:00:00Z'], [107.385, 29.70001, '2026-05-31T16:00:00Z']] || ['16:00 OPEN DANGER@50']
        'September 30, 23:00 Shanghai'           | [[107.385, 29.70001, '2026-09-30T15:00:00Z']]                  || ['15:00 OPEN DANGER@50']
        'October 1, 00:30 Shanghai: over'        | [[107.385, 29.70001, '2026-09-30T16:30:00Z']]                  || []
        'January, a cold afternoon'              | [[107.385, 29.70001, '2027-01-15T07:00:00Z']]                  || []
        'a summer afternoon the next year'       | [[107.385, 29.70001, '2027-08-02T07:00:00Z']]                  || ['07:00 OPEN DANGER@50']
    }

    def "the afternoon bank counts only 12:00-20:00 Shanghai time in summer: #when"() {
        expect:
        walk([[107.385, 29.72001, time]], SubjectCategory.MINOR) == alerts

        where:
        when                  | time                   || alerts
        'at 11:59'            | '2026-07-12T03:59:00Z' || []
        'at 12:00'            | '2026-07-12T04:00:00Z' || ['04:00 OPEN DANGER@51']
        'at 19:59'            | '2026-07-12T11:59:00Z' || ['11:59 OPEN DANGER@51']
        'at 20:00'            | '2026-07-12T12:00:00Z' || []
        'at 15:00 in October' | '2026-10-12T07:00:00Z' || []
    }

    def "a fence without categories still applies to every ward, and a category fence to its category only"() {
        given:
        def plain = fence(id: 60, kind: FenceKind.DANGER, geometry: 'LINESTRING (107.380 29.700, 107.390 29.700)', buffer: 50)

        expect:
        plain.appliesTo(1, SubjectKind.WARD, SubjectCategory.MINOR)
        plain.appliesTo(1, SubjectKind.WARD, null)
        BANK.appliesTo(1, SubjectKind.WARD, SubjectCategory.MINOR)
        !BANK.appliesTo(1, SubjectKind.WARD, SubjectCategory.DEMENTIA)
        !BANK.appliesTo(1, SubjectKind.WARD, null)
        !BANK.appliesTo(1, SubjectKind.WARD)
    }
}
