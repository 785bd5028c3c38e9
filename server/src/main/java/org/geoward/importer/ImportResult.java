package org.geoward.importer;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * What an import did: {@code importId} names it in {@code GET /api/imports}; {@code accepted} points became sightings, {@code duplicates} were already stored, and
 * {@code rejected} names each refused point by its line in the file (the first {@link TrackImporter#MAX_LISTED};
 * {@code rejectedCount} counts them all).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ImportResult(
        long importId, long accepted, long duplicates, long rejectedCount, List<Rejection> rejected) {

    /** One refused point: its 1-based line in the file and why. */
    @Serdeable
    public record Rejection(long line, String error) {}
}
