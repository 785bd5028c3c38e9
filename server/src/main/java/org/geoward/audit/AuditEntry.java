package org.geoward.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** One row of the audit trail as the API shows it; {@code hash} is the row's SHA-256 in hex. */
@Serdeable
public record AuditEntry(
        long id,
        String at,
        String username,
        String role,
        AuditAction action,
        String method,
        String endpoint,
        String path,
        @Nullable String query,
        @Nullable String subjectId,
        @Nullable String alertId,
        @Nullable String purpose,
        int status,
        String hash) {

    /** A page of entries, newest first; {@code next} is the {@code before} that reads the next page, or null. */
    @Serdeable
    public record Page(java.util.List<AuditEntry> entries, @Nullable Long next) {}

    /**
     * What verification found: {@code entries} rows checked; when {@code intact} is false, {@code brokenAt} is the
     * first row (or the head) that does not chain and {@code reason} says how.
     */
    @Serdeable
    public record Verification(boolean intact, long entries, @Nullable Long brokenAt, @Nullable String reason) {}
}
