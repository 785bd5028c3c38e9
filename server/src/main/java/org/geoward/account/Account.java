package org.geoward.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** A user account as the API shows it: never the password or its hash. */
@Serdeable
record Account(
        long id, String username, String role, List<Long> wardIds, @Nullable Long subjectId, Instant createdAt) {}
