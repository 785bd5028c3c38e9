package org.geoward.sensor;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.geoward.account.Visibility;
import org.geoward.json.Json;
import org.geoward.json.JsonObject;
import org.geoward.problem.ProblemException;

/**
 * The sensors at a ward's home (gas, smoke, water leak, fall, door): ADMIN and DISPATCHER register and remove them;
 * a FAMILY user sees those of the wards linked to their account (404 for any other, so ids cannot be probed).
 */
@Controller
@Secured({"ADMIN", "DISPATCHER", "FAMILY"})
@Tag(name = "sensors", description = "Home sensors of wards living alone and their alarms")
final class SensorController {
    private final SensorService sensors;
    private final Visibility visibility;

    SensorController(SensorService sensors, Visibility visibility) {
        this.sensors = sensors;
        this.visibility = visibility;
    }

    @Post("/api/subjects/{id}/sensors")
    @Secured({"ADMIN", "DISPATCHER"})
    @Operation(
            summary = "Register a home sensor {kind: GAS|SMOKE|WATER_LEAK|FALL|DOOR_OPEN, uniqueId, lon, lat, room?} at"
                    + " a ward's home; the answer carries its token, shown only this once")
    HttpResponse<HomeSensor> register(
            @PathVariable String id, @Body @Schema(implementation = JsonObject.class) String body) {
        HomeSensor sensor = sensors.register(subjectId(id), Json.body(body));
        return HttpResponse.created(sensor, URI.create("/api/sensors/" + sensor.id()));
    }

    @Get("/api/subjects/{id}/sensors")
    @Operation(summary = "List the sensors at a ward's home (without tokens), oldest first")
    List<HomeSensor> list(@PathVariable String id, Authentication authentication) {
        long subjectId = subjectId(id);
        if (!visibility.canSeeSubject(authentication, subjectId)) {
            throw ProblemException.notFound("subject", id);
        }
        return sensors.list(subjectId);
    }

    @Delete("/api/sensors/{id}")
    @Secured({"ADMIN", "DISPATCHER"})
    @Operation(summary = "Remove a home sensor; its alerts stay")
    HttpResponse<Void> delete(@PathVariable String id) {
        try {
            sensors.delete(Long.parseLong(id));
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("home sensor", id);
        }
        return HttpResponse.noContent();
    }

    private static long subjectId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("subject", id);
        }
    }
}
