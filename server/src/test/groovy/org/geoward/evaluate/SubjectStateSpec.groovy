package org.geoward.evaluate

import static org.geoward.evaluate.Tracks.t

import spock.lang.Specification

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
}
