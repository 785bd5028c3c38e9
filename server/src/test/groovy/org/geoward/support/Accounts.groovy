package org.geoward.support

import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.User
import org.geoward.security.UserRepository

/**
 * Makes user accounts for specs and logs them in through the real {@code POST /login}. Every account gets a fresh
 * name, so specs can run again against a kept database. Names and passwords are plain Java strings: Micronaut
 * Serialization cannot encode Groovy GStrings.
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
        token(http, users, hasher, role, subjectId)
    }

    /** As {@link #tokenFor}, without an instance. */
    static String token(HttpClient http, UserRepository users, PasswordHasher hasher, Role role, Long subjectId = null) {
        created(http, users, hasher, role, subjectId).token
    }

    /** Creates a user with {@code role} and logs in; returns [id: the user's id, token: its bearer token]. */
    static Map created(HttpClient http, UserRepository users, PasswordHasher hasher, Role role, Long subjectId = null) {
        String username = "${role.name().toLowerCase()}-${UUID.randomUUID()}".toString()
        String password = "pw-$username".toString()
        User user = users.save(new User(null, username, hasher.hash(password), role, subjectId))
        [id: user.id(), token: login(http, username, password)]
    }

    /** Logs in through {@code POST /login} and returns the bearer token. */
    static String login(HttpClient http, String username, String password) {
        Map answer = http.toBlocking().retrieve(HttpRequest.POST("/login", [username: username, password: password]), Map)
        answer.access_token
    }
}
