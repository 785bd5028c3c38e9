package org.geoward.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The body of {@code PUT /api/me/password}: the current password and the new one. */
@Serdeable
record PasswordChange(@Nullable String oldPassword, @Nullable String newPassword) {}
