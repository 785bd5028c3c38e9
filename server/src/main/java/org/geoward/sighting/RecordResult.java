package org.geoward.sighting;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * What became of a batch of sightings: {@code accepted} were stored (and evaluated), {@code duplicates} were already
 * stored (same subject and event time) or repeated in the batch, {@code rejected} lists each refused item by its index
 * in the batch.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RecordResult(int accepted, int duplicates, List<Rejection> rejected) {

    /** One refused item: its 0-based index in the batch and why. */
    @Serdeable
    public record Rejection(int index, String error) {}
}
