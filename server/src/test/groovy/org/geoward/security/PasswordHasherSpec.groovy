package org.geoward.security

import org.geoward.problem.SettingsException
import io.micronaut.context.annotation.Value
import spock.lang.Specification

/**
 * bcrypt's cost: 10 unless configured (the test profile sets 4, so that the suite's logins are cheap), and a hash
 * made with one cost is checked by a hasher configured with another, since the hash records its cost.
 */
class PasswordHasherSpec extends Specification {
    def "without configuration new hashes have cost 10; the test profile's hasher makes cost 4 and checks cost 10"() {
        given:
        def production = new PasswordHasher(PasswordHasher.DEFAULT_COST)
        String key = PasswordHasher.constructors[0].parameters[0].getAnnotation(Value).value()
        String strong = production.hash("correct horse")

        when:
        def cheap = new PasswordHasher(4)

        then:
        key == '${geoward.security.bcrypt-cost:10}'
        strong.startsWith('$2a$10$')
        cheap.hash("correct horse").startsWith('$2a$04$')
        cheap.matches("correct horse", strong)
        !cheap.matches("wrong horse", strong)
        production.matches("correct horse", cheap.hash("correct horse"))
        !production.matches("correct horse", null)
    }

    def "a cost bcrypt does not take is refused at start, naming the key"() {
        when:
        new PasswordHasher(cost)

        then:
        def e = thrown(SettingsException)
        e.message.contains("geoward.security.bcrypt-cost is $cost")

        where:
        cost << [3, 32]
    }
}
