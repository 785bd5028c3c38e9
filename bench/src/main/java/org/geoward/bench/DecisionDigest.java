package org.geoward.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import org.geoward.evaluate.Evaluator;
import org.geoward.evaluate.FenceIndex;
import org.geoward.evaluate.Fix;
import org.geoward.evaluate.GuardianLocator;
import org.geoward.evaluate.SubjectKind;
import org.geoward.evaluate.SubjectState;
import org.geoward.evaluate.Transition;

/**
 * Prints a SHA-256 over every transition and, now and then and at the end, every subject's state JSON, of the
 * {@link EvaluatorBenchmark} workload; every 7th fix has 150 m accuracy so the path for coarse fixes counts too. Two
 * evaluators that print the same digest made the same decisions.
 *
 * <p>{@code java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.geoward.bench.DecisionDigest
 * 10000 3000000}
 */
public final class DecisionDigest {
    private DecisionDigest() {}

    public static void main(String[] args) throws Exception {
        int fences = Integer.parseInt(args[0]);
        long fixes = Long.parseLong(args[1]);
        FenceIndex index = FenceIndex.of(FenceMix.generate(fences, 1, EvaluatorBenchmark.WARDS));
        Evaluator evaluator = new Evaluator();
        SubjectState[] states = new SubjectState[Walk.SUBJECTS];
        for (int i = 0; i < states.length; i++) {
            states[i] = new SubjectState();
        }
        Walk walk = new Walk();
        Instant start = Instant.parse("2026-07-01T00:00:00Z");
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long transitions = 0;
        for (long n = 0; n < fixes; n++) {
            int i = walk.step();
            SubjectKind kind = i < EvaluatorBenchmark.WARDS ? SubjectKind.WARD : SubjectKind.VISITOR;
            double accuracy = n % 7 == 3 ? 150 : Walk.ACCURACY;
            Fix fix = new Fix(
                    i, kind, start.plusSeconds(walk.second()), walk.lon(i), walk.lat(i), accuracy, false, Set.of(), null);
            for (Transition t : evaluator.evaluate(fix, states[i], index, Set.of(), GuardianLocator.none())
                    .transitions()) {
                md.update(t.toString().getBytes(StandardCharsets.UTF_8));
                transitions++;
            }
            if (n % 1_000_003 == 0 && n > 0) {
                digestStates(md, states);
            }
        }
        digestStates(md, states);
        System.out.printf(
                "fences=%d fixes=%d transitions=%d digest=%s%n",
                fences, fixes, transitions, HexFormat.of().formatHex(md.digest()));
    }

    private static void digestStates(MessageDigest md, SubjectState[] states) {
        for (SubjectState s : states) {
            md.update(s.toJson().getBytes(StandardCharsets.UTF_8));
        }
    }
}
