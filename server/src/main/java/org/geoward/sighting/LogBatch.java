package org.geoward.sighting;

import java.util.List;

/**
 * What one commit appended to the log: the fixes that were new, in log order, and {@code position}, the log
 * position up to which the log is complete once this batch is taken (at least the last fix's {@code seq}). A batch
 * may hold no fixes: it still moves the position forward.
 */
public record LogBatch(long position, List<LoggedFix> fixes) {
    public LogBatch {
        fixes = List.copyOf(fixes);
    }
}
