package org.geoward.sighting;

import java.util.List;
import java.util.Map;
import org.geoward.subject.SubjectInfo;

/**
 * The log of a cluster member (cluster mode, {@code GEOWARD_KAFKA_BOOTSTRAP}): appends go to the Kafka topic of fixes
 * instead of {@code sighting}; the node that owns a subject's partition stores them there and evaluates them.
 */
public interface ClusterLog {

    /**
     * Produces {@code rows} (their subjects resolved in {@code subjects}: each record names its subject's kind) and
     * returns once Kafka has acknowledged every one of them (acks=all, idempotent producer); throws a 503 {@code
     * ProblemException} when it did not (nothing can be counted as kept then).
     */
    void append(List<Sighting> rows, Map<Long, SubjectInfo> subjects);
}
