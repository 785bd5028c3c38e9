package org.geoward.alert

import io.micronaut.context.ApplicationContext
import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts

@MicronautTest(transactional = false)
class RestartSpec extends AlertSpecBase {

    def "after a restart a loiter episode keeps its start and a ward already out gets no second WANDER"() {
        given: 'a ward who left the safe zone and has been in a ban zone for 20 minutes'
        long ward = scene.subject('WARD')
        scene.circle('SAFE', LON, LAT, 200, [ward])
        scene.polygon('BAN', BAN_SQUARE, [ward], 30)
        scene.post(token, [scene.fix(ward, 0, LON, LAT), scene.fix(ward, 10, BAN_LON, LAT),
                           scene.fix(ward, 20, BAN_LON, LAT)])
        assert alerts(ward)*.properties*.type == ['WANDER']

        and: 'a second server on the same database: new caches, nothing in memory'
        EmbeddedServer restarted = ApplicationContext.run(EmbeddedServer, ['micronaut.server.port': -1], 'test')
        HttpClient client = restarted.applicationContext.createBean(HttpClient, restarted.URL)
        String token2 = Accounts.token(client, restarted.applicationContext.getBean(UserRepository),
                restarted.applicationContext.getBean(PasswordHasher), Role.DISPATCHER)

        when: 'the ward is still in the ban zone at 30 and 40 minutes, reported to the new server'
        [30, 40].each { minute ->
            client.toBlocking().exchange(HttpRequest.POST("/api/sightings", scene.fix(ward, minute, BAN_LON, LAT))
                    .bearerAuth(token2), Map)
        }
        def after = alerts(ward)

        then:
        after*.properties*.type.sort() == ['LOITER', 'WANDER']
        after.find { it.properties.type == 'LOITER' }.properties.openedAt == scene.at(40)
        after.find { it.properties.type == 'WANDER' }.properties.openedAt == scene.at(10)
        after.every { it.properties.status == 'OPEN' }

        cleanup:
        client?.close()
        restarted?.close()
    }
}
