package org.geoward.sighting;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import org.geoward.json.JsonObject;

/**
 * What the OpenAPI document shows for the body of {@code POST /api/sightings}, which {@link SightingBody} reads from
 * the bytes: an array of sighting objects (one object alone is taken too). Never instantiated.
 */
@SuppressWarnings("serial")
@Schema(
        description = "an array of up to 10,000 sightings {subjectId or deviceId, time, lon, lat, ...};"
                + " one sighting object alone is taken too")
final class SightingsBody extends ArrayList<JsonObject> {
    private SightingsBody() {}
}
