package org.geoward.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the host's PostgreSQL server binaries (initdb, pg_ctl, postgres). */
record PostgresBinaries(Path binDir) {

    /**
     * Looks in {@code explicitDir} when given, then on the PATH, then under {@code /usr/lib/postgresql/<version>/bin},
     * newest version first.
     *
     * @throws PrivateDatabaseException naming the package to install when no server binaries are found
     */
    static PostgresBinaries locate(String explicitDir) {
        if (explicitDir != null && !explicitDir.isBlank()) {
            Path dir = Path.of(explicitDir);
            if (!Files.isExecutable(dir.resolve("initdb"))) {
                throw new PrivateDatabaseException("GEOWARD_PG_BIN=" + explicitDir + " holds no initdb; point it at a"
                        + " PostgreSQL bin directory such as /usr/lib/postgresql/15/bin");
            }
            return new PostgresBinaries(realBinDir(dir));
        }
        return fromPath()
                .or(PostgresBinaries::fromDebianLayout)
                .orElseThrow(() -> new PrivateDatabaseException(
                        "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql."
                                + " Install them with: sudo apt-get install postgresql-15 postgresql-15-postgis-3"));
    }

    private static Optional<PostgresBinaries> fromPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(":"))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst()
                .map(dir -> new PostgresBinaries(realBinDir(dir)));
    }

    /**
     * The directory the binaries really live in: PostgreSQL finds its lib and share directories relative to it, so a
     * symbolic link such as {@code /usr/local/bin/initdb} must be followed back to {@code /usr/lib/postgresql/15/bin}.
     */
    private static Path realBinDir(Path dir) {
        try {
            return dir.resolve("initdb").toRealPath().getParent();
        } catch (IOException e) {
            return dir;
        }
    }

    private static Optional<PostgresBinaries> fromDebianLayout() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            List<Path> dirs = versions.map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .sorted(Comparator.comparing(PostgresBinaries::majorVersion).reversed())
                    .toList();
            return dirs.stream().findFirst().map(PostgresBinaries::new);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int majorVersion(Path binDir) {
        try {
            return Integer.parseInt(binDir.getParent().getFileName().toString().replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    Path initdb() {
        return binDir.resolve("initdb");
    }

    Path pgCtl() {
        return binDir.resolve("pg_ctl");
    }
}
