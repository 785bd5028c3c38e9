package org.geoward.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;

/** A user account; the password is kept only as a bcrypt hash. */
@MappedEntity("app_user")
public record User(
        @Id @GeneratedValue @Nullable Long id,
        String username,
        @MappedProperty("password_hash") String passwordHash,
        Role role,
        @Nullable @MappedProperty("subject_id") Long subjectId) {}
