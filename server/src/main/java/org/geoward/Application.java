package org.geoward;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.util.Arrays;
import org.geoward.database.DataDirectory;
import org.geoward.database.PrivateDatabase;
import org.geoward.database.PrivateDatabaseException;

@OpenAPIDefinition(
        info =
                @Info(
                        title = "Geoward",
                        version = "0.1",
                        description =
                                "Wards who wander, people who loiter at the river, and the nearest officer. Log in with"
                                        + " POST /login and send the access token as 'Authorization: Bearer ...'."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
/** Starts Geoward: the HTTP API, the evaluator and, when no database is configured, a private PostGIS. */
public final class Application {
    private Application() {}

    public static void main(String[] args) {
        var problems = StartupCheck.problems(System.getenv());
        if (!problems.isEmpty()) {
            problems.forEach(problem -> System.err.println("geoward: " + problem));
            System.exit(2);
        }
        if (!isDatabaseConfigured(args)) {
            try {
                // started here, before the context, so that a missing PostgreSQL or PostGIS is one clear line
                PrivateDatabase.startEarly(
                        DataDirectory.resolve(System.getenv("GEOWARD_DATA_DIR")), System.getenv("GEOWARD_PG_BIN"));
            } catch (PrivateDatabaseException e) {
                System.err.println("geoward: " + e.getMessage());
                System.exit(2);
            }
        }
        new Launcher().args(args).mainClass(Application.class).banner(false).start();
    }

    private static boolean isDatabaseConfigured(String[] args) {
        return isSet(System.getenv("GEOWARD_DB_URL"))
                        && !PrivateDatabase.PRIVATE_URL.equals(System.getenv("GEOWARD_DB_URL"))
                || isSet(System.getenv("DATASOURCES_DEFAULT_URL"))
                || isSet(System.getProperty("datasources.default.url"))
                || Arrays.stream(args).anyMatch(arg -> arg.startsWith("--datasources.default.url="));
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
