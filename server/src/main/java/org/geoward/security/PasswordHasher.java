package org.geoward.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import org.geoward.problem.ProblemException;

/** Hashes and checks passwords with bcrypt (cost 10). Thread-safe. */
@Singleton
public final class PasswordHasher {
    /** bcrypt reads at most this many bytes of a password (UTF-8); a longer one is refused, not cut short. */
    public static final int MAX_BYTES = 72;

    private static final int COST = 10;
    // a hash to compare against when the user does not exist, so both paths take the same time
    private static final String DUMMY = BCrypt.withDefaults().hashToString(COST, "not-a-password".toCharArray());

    /** The problem to answer when {@code password} is longer than bcrypt takes, or null when it fits. */
    public static ProblemException tooLong(String password) {
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        return bytes <= MAX_BYTES
                ? null
                : ProblemException.badRequest(
                        "password", "password has " + bytes + " bytes (UTF-8); at most " + MAX_BYTES + " are allowed");
    }

    /** Returns the bcrypt hash of {@code password}. */
    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    /** Whether {@code password} matches {@code hash}; a null hash never matches but costs the same time. */
    public boolean matches(String password, String hash) {
        boolean verified = BCrypt.verifyer().verify(password.toCharArray(), hash == null ? DUMMY : hash).verified;
        return verified && hash != null;
    }
}
