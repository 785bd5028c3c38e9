package org.geoward.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import jakarta.inject.Singleton;

/** Hashes and checks passwords with bcrypt (cost 10). Thread-safe. */
@Singleton
public final class PasswordHasher {
    private static final int COST = 10;
    // a hash to compare against when the user does not exist, so both paths take the same time
    private static final String DUMMY = BCrypt.withDefaults().hashToString(COST, "not-a-password".toCharArray());

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
