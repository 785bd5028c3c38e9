package org.geoward.audit;

/**
 * One request to record, before the database numbers and hashes it.
 *
 * @param endpoint the route template, e.g. {@code /api/subjects/{id}/track}
 * @param subjectId the subject the request concerned, or null (then found from alertId or deviceId where given)
 * @param status the HTTP status answered
 */
record AuditRecord(
        String username,
        String role,
        AuditAction action,
        String method,
        String endpoint,
        String path,
        String query,
        Long subjectId,
        Long alertId,
        Long deviceId,
        String purpose,
        int status) {}
