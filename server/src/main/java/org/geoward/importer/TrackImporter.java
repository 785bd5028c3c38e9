package org.geoward.importer;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.format.ReadableBytes;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import jakarta.inject.Singleton;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.geoward.problem.ProblemException;
import org.geoward.sighting.RecordResult;
import org.geoward.sighting.Sighting;
import org.geoward.sighting.SightingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a recorded track into one subject's sightings: reads the file point by point, and records every
 * {@link #BATCH} points through {@link SightingService#record} (validation, dedupe, order, evaluation, alerts), so
 * memory stays flat however big the file. Reports progress on the {@link ImportRun} after every batch (and logs it
 * every {@link #PROGRESS_EVERY} points). Thread-safe.
 */
@Singleton
public class TrackImporter {
    static final int BATCH = 1_000;
    static final int PROGRESS_EVERY = 10_000;
    static final int MAX_LISTED = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(TrackImporter.class);

    /** The formats an upload may be in. */
    public enum Format {
        GPX,
        CSV
    }

    private final SightingService sightings;
    private final long maxBytes;

    /** @param maxBytes the server's request size limit, which an upload must stay within */
    TrackImporter(
            SightingService sightings,
            @Value("${micronaut.server.max-request-size:10485760}") @ReadableBytes long maxBytes) {
        this.sightings = sightings;
        this.maxBytes = maxBytes;
    }

    /**
     * Imports {@code in} (not closed here) as {@code format} for {@code subjectId}, which must exist, reporting
     * progress on {@code run} and finishing it.
     */
    public ImportResult importTrack(long subjectId, Format format, InputStream in, ImportRun run) throws IOException {
        try {
            ImportResult result = read(subjectId, format, new CountingInputStream(in, run), run);
            run.done();
            return result;
        } catch (IOException | RuntimeException e) {
            run.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            throw e;
        }
    }

    private ImportResult read(long subjectId, Format format, CountingInputStream in, ImportRun run) throws IOException {
        long started = System.nanoTime();
        Counts counts = new Counts();
        List<TrackLine> batch = new ArrayList<>(BATCH);
        try (TrackReader reader = format == Format.GPX ? new GpxReader(in) : new CsvReader(in)) {
            Optional<TrackLine> next;
            while ((next = reader.next()).isPresent()) {
                batch.add(next.get());
                counts.read++;
                if (batch.size() == BATCH) {
                    flush(subjectId, batch, counts);
                    counts.report(run);
                }
                if (counts.read % PROGRESS_EVERY == 0) {
                    LOG.info(
                            "import for subject {}: {} points read, {} accepted, {} duplicates, {} rejected",
                            subjectId,
                            counts.read,
                            counts.accepted,
                            counts.duplicates,
                            counts.rejectedCount);
                }
            }
            flush(subjectId, batch, counts);
            counts.report(run);
        } catch (IOException | RuntimeException e) {
            if (isTooLarge(e)) {
                throw tooLarge(subjectId, batch, counts, run);
            }
            throw e;
        }
        LOG.info(
                "import for subject {} done in {} ms: {} points, {} accepted, {} duplicates, {} rejected",
                subjectId,
                (System.nanoTime() - started) / 1_000_000,
                counts.read,
                counts.accepted,
                counts.duplicates,
                counts.rejectedCount);
        return new ImportResult(run.id(), counts.accepted, counts.duplicates, counts.rejectedCount, counts.rejected);
    }

    /**
     * The 413 for an upload past {@link #maxBytes} (a Content-Length over it, or a stream that grows past it), after
     * recording the points read before the limit; the answer says how many were kept.
     */
    private ProblemException tooLarge(long subjectId, List<TrackLine> batch, Counts counts, ImportRun run) {
        flush(subjectId, batch, counts);
        counts.report(run);
        return new ProblemException(
                HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                "the upload is larger than the import limit of " + maxBytes + " bytes (" + (maxBytes >> 20)
                        + " MB, micronaut.server.max-request-size); the " + counts.read
                        + " points read before the limit were kept (accepted " + counts.accepted + ", duplicates "
                        + counts.duplicates + ", rejected " + counts.rejectedCount + "; import " + run.id()
                        + "): split the file and send the rest");
    }

    /** Whether {@code e} comes from the server's request size limit (Micronaut wraps it, XML parsers wrap it again). */
    private static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ContentLengthExceededException
                    || (t.getMessage() != null
                            && t.getMessage().contains("exceeds the maximum allowed content length"))) {
                return true;
            }
        }
        return false;
    }

    private void flush(long subjectId, List<TrackLine> batch, Counts counts) {
        if (batch.isEmpty()) {
            return;
        }
        List<Sighting> inputs = new ArrayList<>(batch.size());
        List<TrackLine> sent = new ArrayList<>(batch.size());
        Map<Long, String> refused = new TreeMap<>(); // listed by line, whoever refused them
        for (TrackLine p : batch) {
            if (p.error() != null) {
                refused.put(p.line(), p.error());
            } else {
                inputs.add(p.sighting().toBuilder().subject(subjectId).build());
                sent.add(p);
            }
        }
        batch.clear();
        if (!inputs.isEmpty()) {
            RecordResult result = sightings.record(inputs);
            counts.accepted += result.accepted();
            counts.duplicates += result.duplicates();
            for (RecordResult.Rejection r : result.rejected()) {
                refused.put(sent.get(r.index()).line(), r.error());
            }
        }
        refused.forEach(counts::reject);
    }

    private static final class Counts {
        long read;
        long accepted;
        long duplicates;
        long rejectedCount;
        final List<ImportResult.Rejection> rejected = new ArrayList<>();

        void report(ImportRun run) {
            run.progress(read, accepted, duplicates, rejectedCount);
        }

        void reject(long line, String error) {
            rejectedCount++;
            if (rejected.size() < MAX_LISTED) {
                rejected.add(new ImportResult.Rejection(line, error));
            }
        }
    }

    /** Tells the run how many bytes of the upload have been read. */
    private static final class CountingInputStream extends FilterInputStream {
        private final ImportRun run;
        private long count;

        CountingInputStream(InputStream in, ImportRun run) {
            super(in);
            this.run = run;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                run.bytesRead(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                run.bytesRead(count);
            }
            return n;
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }
}
