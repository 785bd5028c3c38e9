package org.geoward.bench;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.geoward.evaluate.Evaluator;
import org.geoward.evaluate.Fence;
import org.geoward.evaluate.FenceIndex;
import org.geoward.evaluate.Fix;
import org.geoward.evaluate.GuardianLocator;
import org.geoward.evaluate.SubjectKind;
import org.geoward.evaluate.SubjectState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures evaluator fixes per second on one thread: the {@link Walk}'s 10,000 subjects (1,000 of them wards with
 * SAFE fences) against 10, 1,000 or 10,000 fences of the {@link FenceMix}. {@link PostgisBenchmark} makes the same
 * decisions for the same fixes in SQL.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EvaluatorBenchmark {
    static final int WARDS = 1_000;

    @Param({"10", "1000", "10000"})
    public int fences;

    private FenceIndex index;
    private final Evaluator evaluator = new Evaluator();
    private final SubjectState[] states = new SubjectState[Walk.SUBJECTS];
    private final Walk walk = new Walk();
    private final Instant start = Instant.parse("2026-07-01T00:00:00Z");

    @Setup
    public void setUp() {
        List<Fence> list = FenceMix.generate(fences, 1, WARDS);
        long t0 = System.nanoTime();
        index = FenceIndex.of(list);
        System.out.printf(
                "%nFenceIndex.of(%d fences): %.2f s, %d cell entries%n",
                fences, (System.nanoTime() - t0) / 1e9, index.cellEntries());
        for (int i = 0; i < Walk.SUBJECTS; i++) {
            states[i] = new SubjectState();
        }
    }

    /** Evaluates the next subject's next fix (10 m random step, 10 m accuracy). */
    @Benchmark
    public Evaluator.Result evaluate() {
        int i = walk.step();
        SubjectKind kind = i < WARDS ? SubjectKind.WARD : SubjectKind.VISITOR;
        Fix fix = new Fix(
                i, kind, start.plusSeconds(walk.second()), walk.lon(i), walk.lat(i), Walk.ACCURACY, false, Set.of(), null);
        return evaluator.evaluate(fix, states[i], index, Set.of(), GuardianLocator.none());
    }
}
