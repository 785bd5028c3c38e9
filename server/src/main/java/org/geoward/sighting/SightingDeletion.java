package org.geoward.sighting;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.util.Collection;

/**
 * Removes whole tracks, or the phone numbers on them, from the log ({@code sighting}) inside the caller's
 * transaction, one statement each: for a seeder removing what it made (the demo city's reset), a person's erasure
 * ({@link ErasureListener}) and the visitors' phone rule of notify. Expiry by age is retention's. Thread-safe.
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

    /** Sets the phone number of every stored fix of {@code subjectIds} to null; returns how many fixes had one. */
    public int forgetPhonesOf(Collection<Long> subjectIds) {
        return jdbc.prepareStatement(
                "UPDATE sighting SET phone = NULL WHERE subject_id = ANY (?) AND phone IS NOT NULL", ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("bigint", subjectIds.toArray()));
                    return ps.executeUpdate();
                });
    }
}
