package org.geoward.demo;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.geoward.database.DataDirectory;

/**
 * The demo accounts' passwords: one file per account in the data directory ({@code demo-<name>-password}, mode
 * 600), generated on first use, the same files the {@code geoward} launcher reads to print them. Never in the
 * repository. {@code geoward.demo.secrets-dir} overrides the directory (the specs use a temporary one).
 */
@Singleton
final class DemoAccounts {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final Path dir;
    private final SecureRandom random = new SecureRandom();

    DemoAccounts(DataDirectory data, @Nullable @Value("${geoward.demo.secrets-dir:}") String secretsDir) {
        this.dir = secretsDir == null || secretsDir.isBlank() ? data.path() : Path.of(secretsDir);
    }

    /** The password of demo account {@code name} (dispatcher, police, ...), generated when its file is missing. */
    synchronized String password(String name) {
        Path file = dir.resolve("demo-" + name + "-password");
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (stored.length() >= 10) {
                    return stored;
                }
            }
            Files.createDirectories(dir);
            StringBuilder password = new StringBuilder(12);
            for (int i = 0; i < 12; i++) {
                password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return password.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the demo password file " + file, e);
        }
    }

    /** A random secret for a device token. */
    String token() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
