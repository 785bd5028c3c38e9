package org.geoward.dispatch;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The work-order report: for alerts opened in [{@code from}, {@code to}), one row per unit and alert type with the
 * count and the response times in seconds.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ResponseTimes(Instant from, Instant to, @Nullable String unit, List<Row> rows) {

    /**
     * One unit and alert type: how many alerts, the time from opening to the first acknowledgement or assignment,
     * to the officer's arrival, to resolution, and the count of each outcome.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Row(
            String unit,
            String alertType,
            int count,
            Stat acknowledge,
            Stat arrive,
            Stat resolve,
            Map<String, Integer> outcomes) {}

    /**
     * The alerts that reached a step ({@code count}) and the median and 90th percentile of the seconds they took,
     * interpolated linearly between closest ranks (as PostgreSQL's {@code percentile_cont}); null without data.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Stat(int count, @Nullable Double medianSeconds, @Nullable Double p90Seconds) {

        static Stat of(List<Double> seconds) {
            if (seconds.isEmpty()) {
                return new Stat(0, null, null);
            }
            double[] sorted =
                    seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Stat(sorted.length, percentile(sorted, 0.5), percentile(sorted, 0.9));
        }

        /** The {@code p} quantile of {@code sorted} by linear interpolation between closest ranks. */
        static double percentile(double[] sorted, double p) {
            double rank = p * (sorted.length - 1);
            int below = (int) Math.floor(rank);
            int above = (int) Math.ceil(rank);
            double value = sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
            return Math.round(value * 1000) / 1000.0;
        }
    }
}
