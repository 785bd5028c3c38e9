package org.geoward.fence;

import java.time.Instant;

/** A fence as stored: its id, what it is, and when it was created, last changed and retired (null: active). */
public record StoredFence(long id, FenceDraft draft, Instant createdAt, Instant updatedAt, Instant retiredAt) {}
