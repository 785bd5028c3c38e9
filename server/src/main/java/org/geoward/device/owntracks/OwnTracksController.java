package org.geoward.device.owntracks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.geoward.device.DecodeException;
import org.geoward.device.DeviceIngest;
import org.geoward.json.JsonObject;
import org.geoward.problem.ProblemException;
import org.geoward.security.BasicCredentials;
import org.geoward.sighting.Sighting;

/**
 * OwnTracks in HTTP mode: the app POSTs its JSON messages here with HTTP Basic credentials, the device's unique id
 * as user name and its token as password. Location messages become sightings; other message types are answered and
 * ignored. The reply is the empty JSON array the app expects.
 */
@Controller("/ingest/owntracks")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "Devices")
final class OwnTracksController {
    private final DeviceIngest ingest;
    private final OwnTracksDecoder decoder = new OwnTracksDecoder();

    OwnTracksController(DeviceIngest ingest) {
        this.ingest = ingest;
    }

    @Post(consumes = MediaType.ALL)
    @Produces(MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "Receive an OwnTracks message (HTTP mode, Basic device credentials)")
    HttpResponse<String> receive(
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
            @Body @Schema(implementation = JsonObject.class) String body) {
        BasicCredentials credentials = BasicCredentials.parse(
                authorization, "OwnTracks must send HTTP Basic credentials: the device's unique id and its token");
        switch (ingest.check(credentials.uniqueId(), "OWNTRACKS", credentials.token(), "http")) {
            case UNKNOWN_DEVICE -> throw new ProblemException(
                    HttpStatus.UNAUTHORIZED,
                    "device " + credentials.uniqueId() + " is not registered; ask an admin to add it");
            case BAD_TOKEN -> throw new ProblemException(
                    HttpStatus.UNAUTHORIZED, "wrong token for device " + credentials.uniqueId());
            default -> {}
        }
        try {
            var position = decoder.decode(body);
            if (position.isPresent()) {
                // the device is who the credentials say, whatever the message's tid
                Sighting own = position.get().toBuilder()
                        .device(credentials.uniqueId())
                        .build();
                var result = ingest.record(List.of(own));
                if (!result.rejected().isEmpty()) {
                    throw ProblemException.badRequest(
                            null, result.rejected().get(0).error());
                }
            }
        } catch (DecodeException e) {
            throw ProblemException.badRequest(null, e.getMessage());
        }
        return HttpResponse.ok(OwnTracksDecoder.reply().body());
    }
}
