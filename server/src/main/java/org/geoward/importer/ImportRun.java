package org.geoward.importer;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Clock;
import java.time.Instant;

/**
 * One import's progress, updated by the importing thread and read by others: points read, accepted, duplicates,
 * rejected, bytes read of the upload, and how it ended.
 */
public final class ImportRun {
    /** Where an import is. */
    public enum State {
        RUNNING,
        DONE,
        FAILED
    }

    private final long id;
    private final long subjectId;
    private final TrackImporter.Format format;
    private final String startedBy;
    private final Long totalBytes;
    private final Instant startedAt;
    private final Clock clock;
    private volatile long bytesRead;
    private volatile long pointsRead;
    private volatile long accepted;
    private volatile long duplicates;
    private volatile long rejected;
    private volatile State state = State.RUNNING;
    private volatile Instant finishedAt;
    private volatile String error;

    ImportRun(long id, long subjectId, TrackImporter.Format format, String startedBy, Long totalBytes, Clock clock) {
        this.id = id;
        this.subjectId = subjectId;
        this.format = format;
        this.startedBy = startedBy;
        this.totalBytes = totalBytes;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public long id() {
        return id;
    }

    boolean finished() {
        return state != State.RUNNING;
    }

    void bytesRead(long bytes) {
        bytesRead = bytes;
    }

    void progress(long pointsRead, long accepted, long duplicates, long rejected) {
        this.pointsRead = pointsRead;
        this.accepted = accepted;
        this.duplicates = duplicates;
        this.rejected = rejected;
    }

    void done() {
        finishedAt = clock.instant();
        state = State.DONE;
    }

    void failed(String reason) {
        error = reason;
        finishedAt = clock.instant();
        state = State.FAILED;
    }

    /** Returns what the run has done so far, as the API shows it. */
    public View view() {
        Instant end = finishedAt;
        long millis = (end == null ? clock.instant() : end).toEpochMilli() - startedAt.toEpochMilli();
        Double percent = totalBytes == null || totalBytes <= 0
                ? null
                : Math.min(100.0, Math.round(1000.0 * bytesRead / totalBytes) / 10.0);
        return new View(
                id,
                subjectId,
                format.name(),
                startedBy,
                state,
                startedAt,
                end,
                millis,
                bytesRead,
                totalBytes,
                percent,
                pointsRead,
                accepted,
                duplicates,
                rejected,
                error);
    }

    /**
     * An import as {@code GET /api/imports} shows it; {@code percent} is of the upload's bytes, when its length was
     * sent.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record View(
            long id,
            long subjectId,
            String format,
            String startedBy,
            State state,
            Instant startedAt,
            Instant finishedAt,
            long elapsedMillis,
            long bytesRead,
            Long totalBytes,
            Double percent,
            long pointsRead,
            long accepted,
            long duplicates,
            long rejected,
            String error) {}
}
