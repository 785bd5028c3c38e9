package org.geoward.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.geoward.problem.ProblemException;

/**
 * Checks {@code POST /login} credentials against {@code app_user}; runs on the blocking executor. A password longer
 * than bcrypt's 72 bytes is a 400; a username locked by {@link LoginThrottle} a 429 with {@code Retry-After}.
 */
@Singleton
final class LoginProvider<B> implements HttpRequestExecutorAuthenticationProvider<B> {
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;

    LoginProvider(UserRepository users, PasswordHasher hasher, LoginThrottle throttle) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
    }

    @Override
    public AuthenticationResponse authenticate(
            HttpRequest<B> request, AuthenticationRequest<String, String> credentials) {
        String username = credentials.getIdentity();
        String password = credentials.getSecret();
        if (username == null || password == null) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        if (PasswordHasher.tooLong(password) != null) {
            throw PasswordHasher.tooLong(password);
        }
        long locked = throttle.lockedSeconds(username);
        if (locked > 0) {
            throw lockedOut(username, locked);
        }
        User user = users.findByUsername(username).orElse(null);
        if (!hasher.matches(password, user == null ? null : user.passwordHash())) {
            if (throttle.failed(username)) {
                throw lockedOut(username, throttle.lockedSeconds(username));
            }
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        throttle.succeeded(username);
        Map<String, Object> claims = user.subjectId() == null
                ? Map.of("uid", user.id())
                : Map.of("uid", user.id(), "subjectId", user.subjectId());
        return AuthenticationResponse.success(
                user.username(), List.of(user.role().name()), claims);
    }

    private ProblemException lockedOut(String username, long seconds) {
        return ProblemException.tooMany(
                "Too many wrong passwords for '" + username + "' (" + throttle.maxFailures()
                        + " in a row): logins for it are refused for " + seconds + " s",
                (int) Math.min(seconds, Integer.MAX_VALUE));
    }
}
