package org.geoward.clock;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wall clock with its jumps taken out: what the time-driven parts (the OFFLINE check, the accept-timeout sweeper,
 * ingest's future limit, retention) call now. It reads the wall {@link Clock} bean and the monotonic clock
 * ({@link System#nanoTime}); while the two agree within {@link #TOLERANCE} it is the wall clock. When the wall clock
 * jumps (set forward or back by hand, a bad NTP server, a VM resumed), it goes on from where it was at the monotonic
 * clock's pace, so a ward that kept reporting does not look silent for the two hours the clock jumped, and an
 * assignment made a minute ago does not look late; it logs a WARN. After {@code geoward.clock.jump-hold} (default 1
 * h) of disagreement it takes the wall clock's time again, with a WARN: a clock that was wrong at start and then
 * corrected is followed within that time, and the jump then counts once. Small steps and drift are followed at once.
 * Thread-safe.
 */
@Singleton
@Bean(typed = SteadyClock.class)
public final class SteadyClock extends Clock {
    /** The largest difference between the wall and the monotonic clock followed at once, without a warning. */
    static final Duration TOLERANCE = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(SteadyClock.class);

    private final Clock wall;
    private final LongSupplier nanos;
    private final long holdNanos;
    private Instant anchor;
    private long anchorNanos;
    /** When (monotonic nanos) the wall clock was first seen away from this one; {@code Long.MIN_VALUE} when not. */
    private long apartSince = Long.MIN_VALUE;

    @Inject
    SteadyClock(Clock wall, @Value("${geoward.clock.jump-hold:1h}") Duration jumpHold) {
        this(wall, jumpHold, System::nanoTime);
    }

    SteadyClock(Clock wall, Duration jumpHold, LongSupplier nanos) {
        this.wall = wall;
        this.nanos = nanos;
        this.holdNanos = jumpHold.toNanos();
        this.anchor = wall.instant();
        this.anchorNanos = nanos.getAsLong();
    }

    /** The time now: the wall clock's, or where it would be had it not jumped in the last jump-hold. */
    @Override
    public synchronized Instant instant() {
        Instant wallNow = wall.instant();
        long now = nanos.getAsLong();
        Instant steady = anchor.plusNanos(now - anchorNanos);
        Duration apart = Duration.between(steady, wallNow);
        if (apart.abs().compareTo(TOLERANCE) <= 0) {
            if (apartSince != Long.MIN_VALUE) {
                LOG.warn("The system clock agrees with the monotonic clock again");
                apartSince = Long.MIN_VALUE;
            }
            return follow(wallNow, now);
        }
        if (apartSince == Long.MIN_VALUE) {
            apartSince = now;
            LOG.warn(
                    "The system clock jumped by {} against the monotonic clock (it reads {}, {} is expected): offline"
                            + " checks, accept timeouts and the future limit of fixes keep to the monotonic clock for"
                            + " up to {}",
                    apart.truncatedTo(ChronoUnit.SECONDS),
                    wallNow,
                    steady,
                    Duration.ofNanos(holdNanos));
        } else if (now - apartSince >= holdNanos) {
            LOG.warn(
                    "The system clock has stayed {} away for {}: following it from now on",
                    apart,
                    Duration.ofNanos(now - apartSince));
            apartSince = Long.MIN_VALUE;
            return follow(wallNow, now);
        }
        return steady;
    }

    /** The later of this clock and the wall clock: the limit for times a device may say are now. */
    public Instant latest() {
        Instant steady = instant();
        Instant wallNow = wall.instant();
        return wallNow.isAfter(steady) ? wallNow : steady;
    }

    /** How far the wall clock is from this one now (positive when it is ahead). */
    public Duration jumped() {
        Instant steady = instant();
        return Duration.between(steady, wall.instant());
    }

    private Instant follow(Instant wallNow, long now) {
        anchor = wallNow;
        anchorNanos = now;
        return wallNow;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** This clock is in UTC only; another zone is refused. */
    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("the steady clock is in UTC only, not " + zone);
        }
        return this;
    }
}
