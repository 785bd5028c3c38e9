package org.geoward.partition;

import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.geoward.alert.AlertChanged;
import org.geoward.alert.AlertEvents;
import org.geoward.alert.AlertStep;
import org.geoward.alert.AlertWriter;
import org.geoward.evaluate.Transition;
import org.geoward.problem.DatabaseFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what a partition decided in one group: its transitions (through {@link AlertWriter}, idempotent by each
 * alert's key) and the moves of its subjects' open alerts to their newest fixes, with their timeline steps
 * ({@link AlertEvents}), in one transaction. A transient database failure is retried (with a growing pause, while
 * the evaluation runs); any other failure falls back to writing the transitions one by one, so one bad transition
 * loses only itself. Stateless; one per partition, for the partition's name in the log.
 */
final class DecisionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionWriter.class);

    /** A transition with the fix that caused it. */
    record Decided(Transition transition, Instant lastFixAt, String evidenceUrl) {}

    private final int partition;
    private final TransactionOperations<Connection> tx;
    private final AlertWriter writer;
    private final AlertEvents events;
    private final BooleanSupplier running;

    DecisionWriter(
            int partition,
            TransactionOperations<Connection> tx,
            AlertWriter writer,
            AlertEvents events,
            BooleanSupplier running) {
        this.partition = partition;
        this.tx = tx;
        this.writer = writer;
        this.events = events;
        this.running = running;
    }

    /** Writes {@code decided} and {@code follows}; returns the alert changes to announce. */
    List<AlertChanged> write(List<Decided> decided, List<AlertWriter.Follow> follows) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.executeWrite(status -> writeAll(decided, follows));
            } catch (RuntimeException e) {
                if (DatabaseFailures.isTransient(e) && running.getAsBoolean()) {
                    long pause = Math.min(5_000, 50L * attempt);
                    LOG.warn(
                            "partition {}: writing {} alert changes failed ({}); trying again in {} ms",
                            partition,
                            decided.size(),
                            e.toString(),
                            pause);
                    sleep(pause);
                    continue;
                }
                LOG.error(
                        "partition {}: writing {} alert changes failed; writing them one by one",
                        partition,
                        decided.size(),
                        e);
                return writeOneByOne(decided, follows);
            }
        }
    }

    private List<AlertChanged> writeOneByOne(List<Decided> decided, List<AlertWriter.Follow> follows) {
        List<AlertChanged> changed = new ArrayList<>();
        for (Decided d : decided) {
            try {
                changed.addAll(tx.executeWrite(status -> writeAll(List.of(d), List.of())));
            } catch (RuntimeException e) {
                LOG.error("partition {}: could not write {}; it is lost", partition, d.transition(), e);
            }
        }
        try {
            tx.executeWrite(status -> writeAll(List.of(), follows));
        } catch (RuntimeException e) {
            LOG.warn("partition {}: could not move open alerts to their newest fixes", partition, e);
        }
        return changed;
    }

    private List<AlertChanged> writeAll(List<Decided> transitions, List<AlertWriter.Follow> follows) {
        List<AlertStep> steps = new ArrayList<>();
        for (Decided d : transitions) {
            writer.apply(d.transition(), d.lastFixAt(), d.evidenceUrl()).ifPresent(steps::add);
        }
        writer.followAll(follows);
        return events.append(steps);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
