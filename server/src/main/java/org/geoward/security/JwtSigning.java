package org.geoward.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.geoward.database.DataDirectory;

/**
 * Supplies the HS256 key that signs and checks access tokens: {@code GEOWARD_JWT_SECRET} when set (give every node
 * of a cluster the same one, at least 32 characters), otherwise a random key generated once and kept in the data
 * directory ({@code jwt-secret}, mode 600). Never in the repository.
 */
@Singleton
final class JwtSigning implements BeanCreatedEventListener<SecretSignatureConfiguration> {
    /** The placeholder in application.yml that this class replaces with the real key. */
    static final String PLACEHOLDER = "generated-at-startup-and-kept-in-the-data-directory";

    private final DataDirectory dataDirectory;
    private final String configured;

    JwtSigning(DataDirectory dataDirectory, @Nullable @Value("${geoward.jwt-secret:}") String configured) {
        this.dataDirectory = dataDirectory;
        this.configured = configured;
    }

    @Override
    public SecretSignatureConfiguration onCreated(BeanCreatedEvent<SecretSignatureConfiguration> event) {
        SecretSignatureConfiguration config = event.getBean();
        if (PLACEHOLDER.equals(config.getSecret())) {
            if (configured != null && !configured.isBlank()) {
                if (configured.length() < 32) {
                    throw new IllegalStateException("GEOWARD_JWT_SECRET must be at least 32 characters long");
                }
                config.setSecret(configured);
            } else {
                config.setSecret(storedSecret());
            }
        }
        return config;
    }

    private String storedSecret() {
        Path file = dataDirectory.path().resolve("jwt-secret");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            byte[] key = new byte[48];
            new SecureRandom().nextBytes(key);
            String secret = Base64.getEncoder().encodeToString(key);
            Files.writeString(file, secret, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the JWT key " + file, e);
        }
    }
}
