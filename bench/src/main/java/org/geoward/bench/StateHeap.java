package org.geoward.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.geoward.evaluate.Evaluator;
import org.geoward.evaluate.Fix;
import org.geoward.evaluate.FenceIndex;
import org.geoward.evaluate.GuardianLocator;
import org.geoward.evaluate.SubjectKind;
import org.geoward.evaluate.SubjectState;

/**
 * Heap the evaluator's in-memory states take: 100,000 subjects (10 % wards, each with its SAFE fence) walk 20 fixes
 * each (10 m steps, 10 s apart) through the {@link FenceMix} of 1,000 fences, their states held in a map by subject id
 * as {@code PartitionedEvaluation} holds them. Heap in use after a full GC, with the states held minus without them,
 * per state; and the checkpoint's JSON size per state. Several rounds, fresh states each, for the spread.
 *
 * <pre>
 * ./mvnw -q -o -Pbench -pl bench -am package -DskipTests
 * flock /tmp/geoward-bench.lock java -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *     org.geoward.bench.StateHeap [subjects 100000] [rounds 3]
 * </pre>
 */
public final class StateHeap {
    private static final int FIXES = 20;

    private StateHeap() {}

    public static void main(String[] args) throws InterruptedException {
        int subjects = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int wards = subjects / 10;
        FenceIndex index = FenceIndex.of(FenceMix.generate(1_000, 1, wards));
        Evaluator evaluator = new Evaluator();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Double> perState = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            long before = usedAfterGc(memory);
            Map<Long, SubjectState> states = walk(subjects, wards, index, evaluator, round);
            long after = usedAfterGc(memory);
            double bytes = (after - before) / (double) subjects;
            perState.add(bytes);
            long fenceStates = 0;
            long open = 0;
            long json = 0;
            for (SubjectState s : states.values()) {
                fenceStates += s.fences().size();
                open += s.openAlerts().size();
                json += s.toJson().length();
            }
            System.out.printf(
                    "round %d: %,d states, %.0f bytes of heap each (%,d MB in all); %.2f fence states and %.2f open"
                            + " alerts per subject; checkpoint JSON %.0f bytes per state%n",
                    round,
                    states.size(),
                    bytes,
                    (after - before) >> 20,
                    fenceStates / (double) subjects,
                    open / (double) subjects,
                    json / (double) subjects);
            if (states.isEmpty()) {
                throw new IllegalStateException("no states"); // keeps the map reachable until here
            }
        }
        perState.sort(Double::compare);
        double median = perState.get(perState.size() / 2);
        System.out.printf(
                "bytes per state: median %.0f, min %.0f, max %.0f (%d rounds); per 100,000 subjects: %.1f MB%n",
                median,
                perState.get(0),
                perState.get(perState.size() - 1),
                rounds,
                median * 100_000 / (1 << 20));
    }

    private static Map<Long, SubjectState> walk(
            int subjects, int wards, FenceIndex index, Evaluator evaluator, int seed) {
        Random rnd = new Random(seed);
        Map<Long, SubjectState> states = new HashMap<>();
        Instant start = Instant.parse("2026-07-01T00:00:00Z");
        for (int i = 0; i < subjects; i++) {
            double lon = FenceMix.MIN_LON + rnd.nextDouble() * (FenceMix.MAX_LON - FenceMix.MIN_LON);
            double lat = FenceMix.MIN_LAT + rnd.nextDouble() * (FenceMix.MAX_LAT - FenceMix.MIN_LAT);
            SubjectKind kind = i < wards ? SubjectKind.WARD : SubjectKind.VISITOR;
            SubjectState state = new SubjectState();
            for (int f = 0; f < FIXES; f++) {
                lon += (rnd.nextDouble() - 0.5) * 20 / FenceMix.M_PER_DEG_LON;
                lat += (rnd.nextDouble() - 0.5) * 20 / FenceMix.M_PER_DEG_LAT;
                Fix fix = new Fix(i, kind, start.plusSeconds(10L * f), lon, lat, 10, false, Set.of(), null);
                evaluator.evaluate(fix, state, index, Set.of(), GuardianLocator.none());
            }
            states.put((long) i, state);
        }
        return states;
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
