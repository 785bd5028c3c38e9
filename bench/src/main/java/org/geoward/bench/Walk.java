package org.geoward.bench;

import java.util.Random;

/**
 * The benchmarks' fixes: 10,000 subjects start at random points of the Fuling box and take 10 m random steps, one
 * fix a second each, subject after subject. Every walk made the same way yields the same fixes.
 */
final class Walk {
    static final int SUBJECTS = 10_000;
    /** Horizontal accuracy of every fix, in metres. */
    static final double ACCURACY = 10;

    private final double[] lon = new double[SUBJECTS];
    private final double[] lat = new double[SUBJECTS];
    private final double[] steps = new double[4096];
    private long tick;

    Walk() {
        Random rnd = new Random(2);
        for (int i = 0; i < SUBJECTS; i++) {
            lon[i] = FenceMix.MIN_LON + rnd.nextDouble() * (FenceMix.MAX_LON - FenceMix.MIN_LON);
            lat[i] = FenceMix.MIN_LAT + rnd.nextDouble() * (FenceMix.MAX_LAT - FenceMix.MIN_LAT);
        }
        for (int i = 0; i < steps.length; i++) {
            steps[i] = (rnd.nextDouble() - 0.5) * 20;
        }
    }

    /** Moves the next subject one step and returns its index; its fix is at {@link #lon}, {@link #lat}. */
    int step() {
        long n = tick++;
        int i = (int) (n % SUBJECTS);
        lon[i] += steps[(int) (n & 4095)] / FenceMix.M_PER_DEG_LON;
        lat[i] += steps[(int) ((n + 1000) & 4095)] / FenceMix.M_PER_DEG_LAT;
        return i;
    }

    /** Returns the seconds since the start of the walk of the fix {@link #step} made last. */
    long second() {
        return (tick - 1) / SUBJECTS;
    }

    double lon(int subject) {
        return lon[subject];
    }

    double lat(int subject) {
        return lat[subject];
    }
}
