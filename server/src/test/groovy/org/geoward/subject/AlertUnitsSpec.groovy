package org.geoward.subject

import org.geoward.account.Visibility
import org.geoward.evaluate.AlertType
import org.geoward.problem.SettingsException
import spock.lang.Specification

/**
 * {@code geoward.dispatch.units} has one reader, {@link AlertUnits}: the officers' alert rule of
 * {@link Visibility} takes its units from it (before, Visibility parsed the setting itself, did not take the
 * {@code water-leak} spelling an environment variable gives, and kept POLICE for it). Plain Spock, no server.
 */
class AlertUnitsSpec extends Specification {

    def "an officer's alerts are limited by the unit AlertUnits read, whatever the key's spelling: #key"() {
        given:
        AlertUnits units = new AlertUnits([(key): ' HARBOUR '])
        Visibility visibility = new Visibility(null, units)

        expect:
        units.unitFor(AlertType.WATER_LEAK) == 'HARBOUR'
        unitIn(visibility.officerAlerts(7L), AlertType.WATER_LEAK) == 'HARBOUR'
        unitIn(visibility.officerAlerts(7L), AlertType.LOITER) == Unit.FISHERIES
        unitIn(visibility.officerAlerts(7L), AlertType.DANGER) == Unit.POLICE

        where:
        key << ['WATER_LEAK', 'water-leak', 'water_leak']
    }

    def "an unknown alert type among the units stops the start, naming the setting"() {
        when:
        new AlertUnits([FLOOD: 'POLICE'])

        then:
        SettingsException e = thrown()
        e.problems() == ['the setting geoward.dispatch.units: unknown alert type FLOOD']
    }

    /** The unit the condition's CASE gives alerts of {@code type}: the parameter after the type's name. */
    private static Object unitIn(Visibility.Condition condition, AlertType type) {
        int at = condition.params().indexOf(type.name())
        assert at > 0
        return condition.params()[at + 1]
    }
}
