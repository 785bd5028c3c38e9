package org.geoward.database;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where Geoward keeps what must outlive a run: the private PostGIS cluster and generated secrets.
 *
 * <p>{@code GEOWARD_DATA_DIR} ({@code geoward.data-dir}) when set; otherwise {@code ~/.local/share/geoward}, or
 * {@code /var/lib/geoward} for root (the private cluster then runs as user postgres, who cannot enter /root).
 */
@Singleton
public final class DataDirectory {
    private final Path path;

    public DataDirectory(@Nullable @Value("${geoward.data-dir:}") String configured) {
        this.path = resolve(configured);
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + path + " (GEOWARD_DATA_DIR)", e);
        }
    }

    /** The directory itself, created if it did not exist. */
    public Path path() {
        return path;
    }

    /** The directory {@code configured} names, or the default for this user when it is blank; creates nothing. */
    public static Path resolve(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/geoward");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("geoward");
    }
}
