package org.geoward.subject;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer to registering a device: the only time its token is shown. Geoward keeps just a bcrypt hash.
 *
 * @param token the secret an HTTP device presents with its reports; null for GT06
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeviceRegistration(
        String id, String uniqueId, DeviceProtocol protocol, String subjectId, @Nullable String token) {}
