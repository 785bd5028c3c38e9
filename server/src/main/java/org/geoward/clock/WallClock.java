package org.geoward.clock;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Makes the one {@link Clock} bean: the system's wall clock in UTC. A spec replaces it to make the clock jump. */
@Factory
final class WallClock {
    @Singleton
    Clock wallClock() {
        return Clock.systemUTC();
    }
}
