package org.geoward.dispatch

import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.User
import org.geoward.security.UserRepository

/**
 * Like {@code support.Accounts}, whose login body holds Groovy GStrings that Micronaut Serialization cannot encode:
 * makes a fresh account with {@code role} (and optionally its own subject) and returns its bearer token.
 */
class Tokens {
    final HttpClient http
    final UserRepository users
    final PasswordHasher hasher

    Tokens(HttpClient http, UserRepository users, PasswordHasher hasher) {
        this.http = http
        this.users = users
        this.hasher = hasher
    }

    String tokenFor(Role role, Long subjectId = null) {
        String username = "${role.name().toLowerCase()}-${UUID.randomUUID()}".toString()
        String password = "pw-$username".toString()
        users.save(new User(null, username, hasher.hash(password), role, subjectId))
        Map login = http.toBlocking().retrieve(
                HttpRequest.POST("/login", [username: username, password: password]), Map)
        return login.access_token
    }
}
