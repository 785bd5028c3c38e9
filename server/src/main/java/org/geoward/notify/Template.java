package org.geoward.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * One message template: the text of message {@code key} in {@code language}, for fence {@code fenceId} or (null) every
 * fence without its own.
 *
 * @param key the alert type (and step) it tells of: WANDER, DANGER, SOS, OFFLINE, RETURNED, LOITER, LOITER_OFFICERS
 * @param language zh-CN or en
 * @param text with placeholders {@code {name} {place} {time} {minutes}}
 * @param updatedBy who last changed it (null for the seeded texts)
 */
@Serdeable
record Template(
        String key,
        String language,
        @Nullable String fenceId,
        String text,
        Instant updatedAt,
        @Nullable String updatedBy) {}
