package org.geoward.retention;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.geoward.audit.NotAudited;
import org.geoward.evaluate.SubjectKind;

/** What is kept for how long, the day partitions, and the retention runs: for admins. */
@Controller("/api/retention")
@Secured("ADMIN")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "privacy")
final class RetentionController {
    private final RetentionSettings settings;
    private final RetentionJob job;
    private final Partitions partitions;

    RetentionController(RetentionSettings settings, RetentionJob job, Partitions partitions) {
        this.settings = settings;
        this.job = job;
        this.partitions = partitions;
    }

    /** The day partition of a kind's {@code day}: its name, its estimated rows, its bounds, and the kind. */
    @Serdeable
    record Partition(String name, String day, long estimatedRows, String bounds, SubjectKind kind) {}

    /** The settings, the partitions and the last ten runs, newest first. */
    @Serdeable
    record Status(
            boolean enabled,
            String zone,
            Map<SubjectKind, Integer> days,
            long evidenceBeforeMinutes,
            List<Partition> partitions,
            List<RetentionRun> runs) {}

    @Get
    @NotAudited("retention settings, partition names and counts: no person")
    @Operation(summary = "Retention settings, day partitions and the last runs")
    Status status() {
        return new Status(
                settings.isEnabled(),
                settings.getZone(),
                settings.days(),
                settings.getEvidenceBefore().toMinutes(),
                partitions.days().stream()
                        .map(d -> new Partition(d.name(), d.day().toString(), d.estimatedRows(), d.bounds(), d.kind()))
                        .toList(),
                job.runs(10));
    }

    @Post("/run")
    @Operation(summary = "Run the retention now (as of now), and answer what it did")
    RetentionRun run() {
        return job.runNow();
    }
}
