package org.geoward.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import org.geoward.problem.ProblemException;
import org.geoward.problem.SettingsException;

/**
 * Hashes and checks passwords with bcrypt, cost {@code geoward.security.bcrypt-cost} (10; 4 to 31). Only the test
 * profile lowers it, to 4: a spec logs in hundreds of times, at about 80 ms a hash with cost 10. A hash records its
 * own cost, so hashes made with another cost are still checked. Thread-safe.
 */
@Singleton
public final class PasswordHasher {
    /** bcrypt reads at most this many bytes of a password (UTF-8); a longer one is refused, not cut short. */
    public static final int MAX_BYTES = 72;

    /** The cost new hashes get unless configured otherwise. */
    public static final int DEFAULT_COST = 10;

    private final int cost;
    // a hash to compare against when the user does not exist, so both paths take the same time
    private final String dummy;

    public PasswordHasher(@Value("${geoward.security.bcrypt-cost:" + DEFAULT_COST + "}") int cost) {
        if (cost < 4 || cost > 31) {
            throw new SettingsException("geoward.security.bcrypt-cost is " + cost + ": bcrypt takes 4 to 31");
        }
        this.cost = cost;
        this.dummy = BCrypt.withDefaults().hashToString(cost, "not-a-password".toCharArray());
    }

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
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    /** Whether {@code password} matches {@code hash}; a null hash never matches but costs the same time. */
    public boolean matches(String password, String hash) {
        boolean verified = BCrypt.verifyer().verify(password.toCharArray(), hash == null ? dummy : hash).verified;
        return verified && hash != null;
    }
}
