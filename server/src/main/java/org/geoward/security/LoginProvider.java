package org.geoward.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/** Checks {@code POST /login} credentials against {@code app_user}; runs on the blocking executor. */
@Singleton
final class LoginProvider<B> implements HttpRequestExecutorAuthenticationProvider<B> {
    private final UserRepository users;
    private final PasswordHasher hasher;

    LoginProvider(UserRepository users, PasswordHasher hasher) {
        this.users = users;
        this.hasher = hasher;
    }

    @Override
    public AuthenticationResponse authenticate(
            HttpRequest<B> request, AuthenticationRequest<String, String> credentials) {
        String username = credentials.getIdentity();
        String password = credentials.getSecret();
        if (username == null || password == null) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        User user = users.findByUsername(username).orElse(null);
        if (!hasher.matches(password, user == null ? null : user.passwordHash())) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        Map<String, Object> claims = user.subjectId() == null
                ? Map.of("uid", user.id())
                : Map.of("uid", user.id(), "subjectId", user.subjectId());
        return AuthenticationResponse.success(
                user.username(), List.of(user.role().name()), claims);
    }
}
