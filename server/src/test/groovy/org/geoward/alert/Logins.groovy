package org.geoward.alert

import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.User
import org.geoward.security.UserRepository

/**
 * Makes a fresh account and logs it in through {@code POST /login}. (support/Accounts sends Groovy strings, which
 * Micronaut Serialization cannot encode; this one sends plain Java strings.)
 */
class Logins {
    static String token(HttpClient http, UserRepository users, PasswordHasher hasher, Role role, Long subjectId = null) {
        String username = "${role.name().toLowerCase()}-${UUID.randomUUID()}".toString()
        String password = "pw-$username".toString()
        users.save(new User(null, username, hasher.hash(password), role, subjectId))
        def login = http.toBlocking().retrieve(
                HttpRequest.POST("/login", [username: username, password: password]), Map)
        return login.access_token
    }

    /** A FAMILY account that may see {@code wardId}; returns its token. */
    static String familyOf(HttpClient http, UserRepository users, PasswordHasher hasher, Scene scene, long wardId) {
        String username = "family-${UUID.randomUUID()}".toString()
        String password = "pw-$username".toString()
        def user = users.save(new User(null, username, hasher.hash(password), Role.FAMILY, null))
        scene.update("INSERT INTO user_ward (user_id, ward_id) VALUES (?, ?)", user.id(), wardId)
        def login = http.toBlocking().retrieve(
                HttpRequest.POST("/login", [username: username, password: password]), Map)
        return login.access_token
    }
}
