package org.geoward.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The body of {@code POST /api/users}; checked by {@link AccountService}. */
@Serdeable
record UserDraft(
        @Nullable String username,
        @Nullable String password,
        @Nullable String role,
        @Nullable List<Long> wardIds,
        @Nullable Long subjectId) {}
