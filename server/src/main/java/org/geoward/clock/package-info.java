/**
 * The server's time: the one wall {@link java.time.Clock} bean ({@link org.geoward.clock.WallClock}, replaced in
 * tests) and the {@link org.geoward.clock.SteadyClock} the time-driven parts read, which takes a jump of the system
 * clock out of their durations.
 */
package org.geoward.clock;
