package org.geoward.sighting;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.util.Collection;

/**
 * Deletes whole tracks from the log ({@code sighting}) inside the caller's transaction, for a seeder removing what it
 * made (the demo city's reset). Expiry by age is retention's; a person's erasure is subject's. Thread-safe.
 */
@Singleton
public class SightingDeletion {
    private final JdbcOperations jdbc;

    SightingDeletion(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Deletes every stored fix of {@code subjectIds}; returns how many went. */
    public int deleteOf(Collection<Long> subjectIds) {
        return jdbc.prepareStatement("DELETE FROM sighting WHERE subject_id = ANY (?)", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("bigint", subjectIds.toArray()));
            return ps.executeUpdate();
        });
    }
}
