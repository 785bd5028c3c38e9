package org.geoward.monitor;

import jakarta.inject.Singleton;
import java.util.Optional;
import org.geoward.readiness.ReadinessCheck;
import org.geoward.sighting.EvaluationInput;

/** Ready once the evaluation has replayed the log at start; before that ingest answers 503. */
@Singleton
final class EvaluationReadiness implements ReadinessCheck {
    private final EvaluationInput evaluation;

    EvaluationReadiness(EvaluationInput evaluation) {
        this.evaluation = evaluation;
    }

    @Override
    public String name() {
        return "evaluation";
    }

    @Override
    public Optional<String> waitingFor() {
        return evaluation.isReady() ? Optional.empty() : Optional.of("replaying the sighting log");
    }
}
