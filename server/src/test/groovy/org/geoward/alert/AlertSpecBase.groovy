package org.geoward.alert

import io.micronaut.data.jdbc.runtime.JdbcOperations
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.geoward.fence.FenceCatalog
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import org.geoward.support.World
import spock.lang.Shared
import spock.lang.Specification

import java.sql.Connection

/** What the alert specs share: an HTTP client, a dispatcher's token and a fresh {@link Scene} per feature. */
abstract class AlertSpecBase extends Specification {
    static final double LON = Scene.LON
    static final double LAT = Scene.LAT
    static final double KM = Scene.KM
    /** A small BAN square about 5 km east of the safe zones. */
    static final String BAN_SQUARE = "POLYGON((107.438 29.698, 107.442 29.698, 107.442 29.702, 107.438 29.702, 107.438 29.698))"
    static final double BAN_LON = 107.44

    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject JdbcOperations jdbc
    @Inject TransactionOperations<Connection> tx
    @Inject FenceCatalog catalog
    @Inject org.geoward.sighting.LatestPositions positions

    @Shared String token
    Scene scene

    def setup() {
        World.retireAllFences(jdbc, tx, catalog)
        scene = new Scene(http, jdbc, tx, catalog)
        if (token == null) {
            token = Accounts.token(http, users, hasher, Role.DISPATCHER)
        }
    }

    def cleanup() {
        scene.retireFences()
    }

    List<Map> alerts(long subjectId, String type = null) {
        scene.alerts(token, subjectId).findAll { type == null || it.properties.type == type }
    }
}
