package org.geoward.evaluate

import static org.geoward.evaluate.Tracks.t

import spock.lang.Specification

import java.time.Instant

class SubjectStateSpec extends Specification {

    def "a state survives the JSON round trip with its episode, pending WANDER and open alerts"() {
        given:
        def state = new SubjectState()
        state.lastFixTime = t('10:20')
        state.lastLon = 107.382
        state.lastLat = 29.706
        state.lastAccuracy = 5
        def ban = new SubjectState.FenceState(side: SubjectState.Side.INSIDE, since: t('10:00'), episodeStart: t('10:00'), lastInside: t('10:20'))
        def home = new SubjectState.FenceState(side: SubjectState.Side.OUTSIDE, since: t('09:00'), wanderPending: true)
        state.fences.put(3L, ban)
        state.fences.put(1L, home)
        state.open.put(new SubjectState.AlertKey(AlertType.DANGER, 9007199254740993L), t('09:30'))
        state.open.put(new SubjectState.AlertKey(AlertType.SOS, null), t('09:31'))

        when:
        def copy = SubjectState.fromJson(state.toJson())

        then:
        copy.toJson() == state.toJson()
        copy.fence(3).episodeStart() == t('10:00')
        copy.fence(3).lastInside() == t('10:20')
        copy.fence(1).isWanderPending()
        copy.isOpen(AlertType.DANGER, 9007199254740993L)
        copy.openAlerts()[new SubjectState.AlertKey(AlertType.SOS, null)] == t('09:31')
        copy.lastLon() == 107.382
    }

    def "an empty or missing state reads as a subject never seen"() {
        expect:
        SubjectState.fromJson(json).lastFixTime() == null

        where:
        json << [null, '', new SubjectState().toJson()]
    }

    /** What the hand-written writer before Jackson produced for {@link #stateOfTheOldWriter}: existing installs hold these. */
    static final List<String> OLD_WRITER = [
            '{"v":1,"lastFixTime":"2026-11-22T08:00:00Z","lastLon":107.382,"lastLat":29.706,"lastAccuracy":5.0,"fences":{"1":{"side":"OUTSIDE","since":"2026-11-22T07:00:00Z","episodeStart":null,"lastInside":null,"loiterRaised":false,"wanderPending":true},"3":{"side":"INSIDE","since":"2026-11-22T07:30:00Z","episodeStart":"2026-11-22T07:30:00Z","lastInside":"2026-11-22T08:00:00Z","loiterRaised":true,"wanderPending":false}},"open":[{"type":"LOITER","fence":3,"at":"2026-11-22T08:00:00Z"},{"type":"DANGER","fence":9007199254740993,"at":"2026-11-22T07:40:00Z"},{"type":"SOS","fence":null,"at":"2026-11-22T07:59:00Z"}]}',
            '{"v":1,"lastFixTime":null,"lastLon":null,"lastLat":null,"lastAccuracy":null,"fences":{},"open":[]}',
            '{"v":1,"lastFixTime":"2026-11-22T08:00:00.123456Z","lastLon":-1.0E-4,"lastLat":1.0E-7,"lastAccuracy":null,"fences":{},"open":[]}']

    static SubjectState stateOfTheOldWriter(int which) {
        def s = new SubjectState()
        if (which == 0) {
            s.lastFixTime = Instant.parse('2026-11-22T08:00:00Z')
            s.lastLon = 107.382
            s.lastLat = 29.706
            s.lastAccuracy = 5
            s.fences.put(3L, new SubjectState.FenceState(side: SubjectState.Side.INSIDE, since: Instant.parse('2026-11-22T07:30:00Z'),
                    episodeStart: Instant.parse('2026-11-22T07:30:00Z'), lastInside: Instant.parse('2026-11-22T08:00:00Z'), loiterRaised: true))
            s.fences.put(1L, new SubjectState.FenceState(side: SubjectState.Side.OUTSIDE, since: Instant.parse('2026-11-22T07:00:00Z'), wanderPending: true))
            s.open.put(new SubjectState.AlertKey(AlertType.LOITER, 3L), Instant.parse('2026-11-22T08:00:00Z'))
            s.open.put(new SubjectState.AlertKey(AlertType.DANGER, 9007199254740993L), Instant.parse('2026-11-22T07:40:00Z'))
            s.open.put(new SubjectState.AlertKey(AlertType.SOS, null), Instant.parse('2026-11-22T07:59:00Z'))
        } else if (which == 2) {
            s.lastFixTime = Instant.parse('2026-11-22T08:00:00.123456Z')
            s.lastLon = -0.0001
            s.lastLat = 1e-7
        }
        s
    }

    def "the checkpoint format is the one existing installs wrote: the same bytes out, and their states read whole"() {
        expect: 'the writer gives byte for byte what the old writer gave'
        stateOfTheOldWriter(which).toJson() == OLD_WRITER[which]

        and: 'what the old writer wrote reads back to the same state'
        SubjectState.fromJson(OLD_WRITER[which]).toJson() == OLD_WRITER[which]

        where:
        which << [0, 1, 2]
    }

    def "a stored state as PostgreSQL's jsonb gives it back (keys reordered, spaces, members missing) reads whole"() {
        when:
        def s = SubjectState.fromJson('{"v": 1, "open": [{"at": "2026-11-22T07:59:00Z", "type": "SOS", "fence": null}], ' +
                '"fences": {"3": {"side": "INSIDE", "since": "2026-11-22T07:30:00Z", "loiterRaised": true}}, "lastLat": 29.706, ' +
                '"lastLon": 107.382, "lastFixTime": "2026-11-22T08:00:00Z"}')

        then:
        s.lastFixTime() == Instant.parse('2026-11-22T08:00:00Z')
        s.lastLon() == 107.382d
        s.fence(3).isLoiterRaised()
        s.fence(3).episodeStart() == null
        !s.fence(3).isWanderPending()
        s.isOpen(AlertType.SOS, null)
    }

    def "a stored state that is not a state object is refused with the reason"() {
        when:
        SubjectState.fromJson(json)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.startsWith(reason)

        where:
        json           | reason
        '{"v":1,'      | 'stored subject state is not JSON'
        '[1, 2]'       | 'stored subject state is not a JSON object'
    }
}
