package org.geoward.notify

import org.geoward.problem.SettingsException
import org.geoward.evaluate.SubjectCategory
import org.geoward.subject.Unit
import spock.lang.Specification

/**
 * Who besides guardians and dispatchers is told per category: the defaults name the units by the same constants the
 * rest of the server uses, a configured list replaces its category's default, and a name that is not a unit name
 * stops the start with the setting named instead of silently telling no one.
 */
class CategoryRecipientsSpec extends Specification {

    def "by default a minor's alerts go to SCHOOL and COMMUNITY, a severe mental disorder's to POLICE, dementia's to no unit"() {
        given:
        def recipients = new CategoryRecipients(null)

        expect:
        recipients.unitsFor(SubjectCategory.MINOR) == [Unit.SCHOOL, Unit.COMMUNITY]
        recipients.unitsFor(SubjectCategory.SEVERE_MENTAL_DISORDER) == [Unit.POLICE]
        recipients.unitsFor(null) == []
        recipients.unitsFor(SubjectCategory.DEMENTIA) == []
    }

    def "a configured list replaces its category's default only, and may be empty"() {
        given:
        def recipients = new CategoryRecipients(['minor': ' COMMUNITY , GRID-7 ', 'SEVERE_MENTAL_DISORDER': ''])

        expect:
        recipients.unitsFor(SubjectCategory.MINOR) == ['COMMUNITY', 'GRID-7']
        recipients.unitsFor(SubjectCategory.SEVERE_MENTAL_DISORDER) == []
        recipients.byCategory().keySet() == EnumSet.allOf(SubjectCategory) as Set
    }

    def "a name that is not a unit name stops the start, naming the setting and the name: #list"() {
        when:
        new CategoryRecipients([MINOR: list])

        then:
        def e = thrown(SettingsException)
        e.message.contains('geoward.notify.recipients.MINOR')
        e.message.contains("'$bad'")

        where:
        list                 | bad
        'school'             | 'school'
        'SCHOOL,Community'   | 'Community'
        'SCHOOL;COMMUNITY'   | 'SCHOOL;COMMUNITY'
    }

    def "an unknown category stops the start with the categories there are"() {
        when:
        new CategoryRecipients([CHILDREN: 'SCHOOL'])

        then:
        def e = thrown(SettingsException)
        e.message.contains('unknown category CHILDREN')
        e.message.contains('MINOR')
    }
}
