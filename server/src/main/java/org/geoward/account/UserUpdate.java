package org.geoward.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The body of {@code PUT /api/users/{id}}: what to change; a member left out (null) stays as it is. {@code password}
 * sets a new password (an admin's reset); {@code subjectId} 0 unlinks the subject.
 */
@Serdeable
record UserUpdate(
        @Nullable String role, @Nullable List<Long> wardIds, @Nullable Long subjectId, @Nullable String password) {}
