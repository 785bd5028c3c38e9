package org.geoward.support

import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.User
import org.geoward.security.UserRepository

/**
 * Makes user accounts for specs and logs them in through the real {@code POST /login}. Every account gets a fresh
 * name, so specs can run again against a kept database.
 */
class Accounts {
    final HttpClient http
    final UserRepository users
    final PasswordHasher hasher

    Accounts(HttpClient http, UserRepository users, PasswordHasher hasher) {
        this.http = http
        this.users = users
        this.hasher = hasher
    }

    /** Creates a user with {@code role} (and optionally their own subject) and returns its bearer token. */
    String tokenFor(Role role, Long subjectId = null) {
        String username = "${role.name().toLowerCase()}-${UUID.randomUUID()}"
        String password = "pw-" + username
        users.save(new User(null, username, hasher.hash(password), role, subjectId))
        // plain Strings: Micronaut serialization cannot write Groovy GStrings
        def login = http.toBlocking().retrieve(HttpRequest.POST("/login", [username: username, password: password]), Map)
        return login.access_token
    }
}
