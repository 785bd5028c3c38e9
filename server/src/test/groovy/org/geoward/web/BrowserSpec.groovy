package org.geoward.web

import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.User
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import org.openqa.selenium.Dimension
import spock.lang.Shared
import spock.lang.Specification

import javax.sql.DataSource

/**
 * What the browser specs share: one headless Chromium per spec class (it is slow to start) against the real server,
 * an admin's {@link ApiData} to make data through the real APIs, fresh accounts, and fences retired after each
 * feature (while the server still runs).
 */
abstract class BrowserSpec extends Specification {
    static final double LON = 107.3895, LAT = 29.7080   // central Fuling, by the Yangtze

    @Inject EmbeddedServer server
    @Inject @Client('/') HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource

    @Shared Browser browser
    @Shared ApiData data

    def setup() {
        browser = browser ?: new Browser(server.URL.toString().replaceAll('/$', ''))
        data = data ?: new ApiData(http, new Accounts(http, users, hasher).tokenFor(Role.ADMIN), dataSource)
        browser.driver.manage().window().setSize(new Dimension(1400, 900))
        browser.fresh()
    }

    def cleanup() {
        data?.retireFences()
    }

    def cleanupSpec() {
        browser?.close()
    }

    /** A new user with role; returns [username, password]. */
    List<String> account(Role role, Long subjectId = null) {
        String username = "${role.name().toLowerCase()}-${UUID.randomUUID().toString().take(8)}".toString()
        String password = 'pw-' + username
        users.save(new User(null, username, hasher.hash(password), role, subjectId))
        [username, password]
    }

    /** Logs a new user with role in and waits for the map. */
    void logInAs(Role role, Long subjectId = null) {
        def (u, p) = account(role, subjectId)
        browser.logIn(u, p)
        browser.waitForPresent('#map path.district-outline')
    }

    /** A unique name, so features never see each other's data. */
    static String unique(String name) {
        "$name ${UUID.randomUUID().toString().take(4)}".toString()
    }
}
