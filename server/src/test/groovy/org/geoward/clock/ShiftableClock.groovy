package org.geoward.clock

import io.micronaut.context.annotation.Replaces
import io.micronaut.context.annotation.Requires
import io.micronaut.context.env.Environment
import jakarta.inject.Singleton

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset

/**
 * The wall clock of a test context: the system's, shifted by what a spec says, so that a spec can make the server's
 * clock jump forward or back while it runs (the monotonic clock, {@code System.nanoTime}, does not jump). Unshifted
 * it is the system clock, so every other spec sees the real time.
 */
@Singleton
@Replaces(value = Clock, factory = WallClock)
@Requires(env = Environment.TEST)
class ShiftableClock extends Clock {
    private volatile Duration shift = Duration.ZERO

    /** Sets the clock {@code by} forward (or back, when negative) from where it is. */
    void jump(Duration by) {
        shift = shift + by
    }

    /** The system's time again. */
    void reset() {
        shift = Duration.ZERO
    }

    @Override
    Instant instant() {
        Instant.now() + shift
    }

    @Override
    ZoneId getZone() {
        ZoneOffset.UTC
    }

    @Override
    Clock withZone(ZoneId zone) {
        this
    }
}
