package org.geoward.monitor;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.geoward.partition.PartitionedEvaluation;
import org.geoward.readiness.ReadinessCheck;

/**
 * The probes, public and minimal (no versions, hosts or errors): {@code GET /live} answers 200 while the process can
 * do its work (its evaluation threads run), 503 when it should be restarted; {@code GET /ready} answers 200 once every
 * {@link ReadinessCheck} passes (database reachable, log replayed, broker connected in cluster mode), else 503 with
 * the names of what it waits for.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "Operations")
final class ProbeController {
    private final List<ReadinessCheck> checks;
    private final PartitionedEvaluation evaluation;

    ProbeController(List<ReadinessCheck> checks, PartitionedEvaluation evaluation) {
        this.checks = checks;
        this.evaluation = evaluation;
    }

    /** A probe's answer: UP or DOWN and, when DOWN, what it waits for. */
    @Serdeable
    record Probe(String status, List<String> waitingFor) {}

    @Get("/live")
    @Operation(summary = "Liveness: 200 while the server can work, 503 when it should be restarted")
    HttpResponse<Probe> live() {
        return evaluation.isAlive()
                ? HttpResponse.ok(new Probe("UP", List.of()))
                : HttpResponse.<Probe>status(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE)
                        .body(new Probe("DOWN", List.of("evaluation threads")));
    }

    @Get("/ready")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "Readiness: 200 when the database, the log replay and (cluster) the broker are ready")
    HttpResponse<Probe> ready() {
        List<String> waiting = new ArrayList<>();
        for (ReadinessCheck check : checks) {
            check.waitingFor().ifPresent(why -> waiting.add(check.name() + ": " + why));
        }
        return waiting.isEmpty()
                ? HttpResponse.ok(new Probe("UP", List.of()))
                : HttpResponse.<Probe>status(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE)
                        .body(new Probe("DOWN", waiting));
    }
}
