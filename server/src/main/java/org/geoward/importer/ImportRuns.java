package org.geoward.importer;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The imports this server is running and the last {@link #KEPT} it finished, so a long upload's progress can be
 * watched from another request ({@code GET /api/imports}). Held in memory: a restart forgets them, as it ends the
 * uploads themselves.
 */
@Singleton
public class ImportRuns {
    static final int KEPT = 100;

    private final AtomicLong ids = new AtomicLong();
    private final Deque<ImportRun> runs = new ArrayDeque<>();
    private final Clock clock = Clock.systemUTC();

    /** Registers a new running import; the caller reports progress on the run and finishes it. */
    public ImportRun start(long subjectId, TrackImporter.Format format, String startedBy, Long totalBytes) {
        ImportRun run = new ImportRun(ids.incrementAndGet(), subjectId, format, startedBy, totalBytes, clock);
        synchronized (runs) {
            runs.addFirst(run);
            // drop the oldest finished runs beyond KEPT; running ones are never dropped
            int finished = 0;
            for (var it = runs.iterator(); it.hasNext(); ) {
                ImportRun r = it.next();
                if (r.finished() && ++finished > KEPT) {
                    it.remove();
                }
            }
        }
        return run;
    }

    /** Returns the runs, newest first. */
    public List<ImportRun> list() {
        synchronized (runs) {
            return new ArrayList<>(runs);
        }
    }

    /** Returns the run with the id, if still kept. */
    public Optional<ImportRun> find(long id) {
        synchronized (runs) {
            return runs.stream().filter(r -> r.id() == id).findFirst();
        }
    }
}
