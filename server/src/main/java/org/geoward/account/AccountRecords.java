package org.geoward.account;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.util.List;
import org.geoward.subject.KeptAboutSubject;

/**
 * What a person's erasure changes on the accounts, inside the erasure's transaction: the family accounts' links to
 * the erased ward ({@code user_ward}) are removed, and an account that was the person's own is no longer linked to
 * them (the account stays, as who acted in the audit trail). Thread-safe.
 */
@Singleton
class AccountRecords implements KeptAboutSubject {
    private final JdbcOperations jdbc;

    AccountRecords(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void anonymise(long subjectId, List<String> phones) {
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
