package org.geoward;

import io.micronaut.runtime.Micronaut;

/** Starts Geoward: the HTTP API, the evaluator and, when no database is configured, a private PostGIS. */
public final class Application {
    private Application() {}

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
