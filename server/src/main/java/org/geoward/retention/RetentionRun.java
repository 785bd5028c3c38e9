package org.geoward.retention;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * What one retention run did.
 *
 * @param asOf the instant it expired against (ISO-8601)
 * @param droppedPartitions the day partitions dropped whole
 * @param droppedRows the rows those partitions held, the evidence kept excluded
 * @param deletedRows rows deleted one by one: kinds kept shorter than the longest retention, and the DEFAULT partition
 * @param keptEvidence expired rows kept because they are evidence of an alert still open or closed recently
 * @param clearedPhotos alerts whose evidence photo URL was removed
 * @param clearedPhones visitors whose phone number was removed, and messages to such phones
 */
@Serdeable
public record RetentionRun(
        long id,
        String startedAt,
        @Nullable String finishedAt,
        String asOf,
        List<String> droppedPartitions,
        long droppedRows,
        long deletedRows,
        long keptEvidence,
        long clearedPhotos,
        long clearedPhones,
        @Nullable String error) {}
