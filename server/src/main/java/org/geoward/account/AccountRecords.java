package org.geoward.account;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

/**
 * What a person's erasure changes on the accounts, inside the erasure's transaction: the family accounts' links to
 * the erased ward ({@code user_ward}) are removed, and an account that was the person's own is no longer linked to
 * them (the account stays, as who acted in the audit trail). Called by the subject package's erasure, which sits above
 * this package (so this is no {@code KeptAboutSubject}). Thread-safe.
 */
@Singleton
public class AccountRecords {
    private final JdbcOperations jdbc;

    AccountRecords(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Unlinks erased subject {@code subjectId} from every account: as a ward of a family, and as an account's own. */
    public void unlink(long subjectId) {
        jdbc.prepareStatement("DELETE FROM user_ward WHERE ward_id = ?", ps -> {
            ps.setLong(1, subjectId);
            return ps.executeUpdate();
        });
        jdbc.prepareStatement("UPDATE app_user SET subject_id = NULL WHERE subject_id = ?", ps -> {
            ps.setLong(1, subjectId);
            return ps.executeUpdate();
        });
    }
}
