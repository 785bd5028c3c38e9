package org.geoward.evaluate

import static org.geoward.evaluate.Tracks.*

import java.time.Duration
import spock.lang.Specification

/**
 * Which alert types a ward's category takes (SubjectCategory.applies, the one rule): the same tracks, replayed for
 * each category, raise an alert only where the category takes its type. Around Fuling; 1 m east is 1.0333e-5
 * degrees of longitude, 1 m north 9.02e-6 degrees of latitude.
 */
class CategoryAlertsSpec extends Specification {
    /** Ward 1's home: a 200 m circle. */
    static final Fence HOME = fence(id: 1, kind: FenceKind.SAFE, geometry: 'POINT (107.39 29.70)', radius: 200, subjects: [1L])
    /** A railway corridor, 80 m wide, for every ward. */
    static final Fence RAILWAY = fence(id: 2, kind: FenceKind.DANGER, geometry: 'LINESTRING (107.40 29.69, 107.42 29.69)', buffer: 40)
    /** A school gate where dwelling 30 minutes is a LOITER. */
    static final Fence SCHOOL_GATE = fence(id: 3, kind: FenceKind.BAN, geometry: 'POLYGON ((107.380 29.705, 107.384 29.705, 107.384 29.707, 107.380 29.707, 107.380 29.705))', dwell: 30)
    /** A river bank for minors only, all year (no schedule: the schedule is ChildrenNearWaterSpec's). */
    static final Fence BANK = new Fence(4, '乌江岸边 (未成年人)', FenceKind.DANGER, wkt('LINESTRING (107.430 29.720, 107.440 29.720)'),
            0, 50, Double.NaN, 0, 0, [] as Set, null, EnumSet.of(SubjectCategory.MINOR))
    static final FenceIndex INDEX = FenceIndex.of([HOME, RAILWAY, SCHOOL_GATE, BANK])

    /** One track per fence kind: it raises the alert named, for a category that takes it. */
    static final Map<String, List<List>> TRACKS = [
            'SAFE: leaves home'         : [[107.39, 29.70, '08:00'], [107.39155, 29.70, '08:02'], [107.39310, 29.70, '08:04']],
            'DANGER: onto the railway'  : [[107.41, 29.6920, '09:00'], [107.41, 29.6905, '09:02'], [107.41, 29.6900, '09:04']],
            'BAN: 30 min at the gate'   : [[107.382, 29.706, '10:00'], [107.382, 29.706, '10:15'], [107.382, 29.706, '10:30']],
            'DANGER: down to the water' : [[107.435, 29.7030, '11:00'], [107.435, 29.7185, '11:05'], [107.435, 29.7201, '11:06']],
            'SOS pressed'               : [[107.39, 29.70, '12:00', 0, true]],
    ]

    /** Replays the track for a subject of the kind and category; the transitions as '08:04 OPEN WANDER@1'. */
    static List<String> walk(String track, SubjectCategory category, SubjectKind kind = SubjectKind.WARD) {
        def evaluator = new Evaluator()
        SubjectState state = new SubjectState()
        long subject = track.startsWith('SAFE') ? 1 : 2 // ward 1 has a home; ward 2 walks anywhere without WANDER
        TRACKS[track].collectMany { row ->
            def fix = new Fix(subject, kind, t(row[2] as String), row[0] as double, row[1] as double, 0, row.size() > 4 && row[4],
                    [] as Set, category)
            def result = evaluator.evaluate(fix, state, INDEX, [] as Set, GuardianLocator.none())
            state = result.state()
            result.transitions().collect { describe(it) }
        }
    }

    def "#track for a #category ward raises #alerts"() {
        expect:
        walk(track, category) == alerts

        where:
        track                       | category                                || alerts
        'SAFE: leaves home'         | SubjectCategory.DEMENTIA                || ['08:04 OPEN WANDER@1']
        'SAFE: leaves home'         | null                                    || ['08:04 OPEN WANDER@1']
        'SAFE: leaves home'         | SubjectCategory.SEVERE_MENTAL_DISORDER  || ['08:04 OPEN WANDER@1']
        'SAFE: leaves home'         | SubjectCategory.INTELLECTUAL_DISABILITY || ['08:04 OPEN WANDER@1']
        'SAFE: leaves home'         | SubjectCategory.MINOR                   || ['08:04 OPEN WANDER@1']
        'SAFE: leaves home'         | SubjectCategory.ELDER_ALONE             || []
        'DANGER: onto the railway'  | SubjectCategory.DEMENTIA                || ['09:04 OPEN DANGER@2']
        'DANGER: onto the railway'  | SubjectCategory.MINOR                   || ['09:04 OPEN DANGER@2']
        'DANGER: onto the railway'  | SubjectCategory.ELDER_ALONE             || ['09:04 OPEN DANGER@2']
        'DANGER: onto the railway'  | SubjectCategory.SEVERE_MENTAL_DISORDER  || ['09:04 OPEN DANGER@2']
        'BAN: 30 min at the gate'   | SubjectCategory.DEMENTIA                || ['10:30 OPEN LOITER@3']
        'BAN: 30 min at the gate'   | SubjectCategory.SEVERE_MENTAL_DISORDER  || ['10:30 OPEN LOITER@3']
        'BAN: 30 min at the gate'   | SubjectCategory.INTELLECTUAL_DISABILITY || ['10:30 OPEN LOITER@3']
        'BAN: 30 min at the gate'   | SubjectCategory.MINOR                   || []
        'BAN: 30 min at the gate'   | SubjectCategory.ELDER_ALONE             || []
        'DANGER: down to the water' | SubjectCategory.MINOR                   || ['11:06 OPEN DANGER@4']
        'DANGER: down to the water' | SubjectCategory.DEMENTIA                || []
        'DANGER: down to the water' | SubjectCategory.ELDER_ALONE             || []
        'SOS pressed'               | SubjectCategory.MINOR                   || ['12:00 OPEN SOS']
        'SOS pressed'               | SubjectCategory.ELDER_ALONE             || ['12:00 OPEN SOS']
        'SOS pressed'               | SubjectCategory.DEMENTIA                || ['12:00 OPEN SOS']
    }

    def "a visitor, who has no category, still raises LOITER at the gate"() {
        expect:
        walk('BAN: 30 min at the gate', null, SubjectKind.VISITOR) == ['10:30 OPEN LOITER@3']
    }

    def "a #kind without a category walking down to the minors' water raises nothing (and does not fail)"() {
        expect:
        walk('DANGER: down to the water', null, kind) == []

        where:
        kind << [SubjectKind.VISITOR, SubjectKind.OFFICER, SubjectKind.GUARDIAN]
    }

    def "the evaluator's OFFLINE check and the table agree: a MINOR's silence is no alert, a dementia ward's is"() {
        expect:
        SubjectCategory.taking(AlertType.OFFLINE) == EnumSet.of(SubjectCategory.DEMENTIA,
                SubjectCategory.SEVERE_MENTAL_DISORDER, SubjectCategory.INTELLECTUAL_DISABILITY, SubjectCategory.ELDER_ALONE)
        !SubjectCategory.applies(AlertType.OFFLINE, SubjectKind.WARD, SubjectCategory.MINOR)
        SubjectCategory.applies(AlertType.OFFLINE, SubjectKind.WARD, null)
        SubjectCategory.applies(AlertType.LOITER, SubjectKind.VISITOR, null)
    }

    def "an ELDER_ALONE ward outside home keeps no WANDER pending: coming back and leaving again raises nothing"() {
        given:
        def evaluator = new Evaluator()
        def state = new SubjectState()
        def rows = TRACKS['SAFE: leaves home'] + [[107.39, 29.70, '08:10'], [107.39310, 29.70, '08:20']]

        when:
        def out = rows.collectMany { row ->
            evaluator.evaluate(new Fix(1, SubjectKind.WARD, t(row[2]), row[0], row[1], 0, false, [] as Set,
                    SubjectCategory.ELDER_ALONE), state, INDEX, [] as Set, GuardianLocator.none()).transitions()
        }

        then:
        out.isEmpty()
        !state.isOpen(AlertType.WANDER, 1L)
    }
}
