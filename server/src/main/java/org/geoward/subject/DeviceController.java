package org.geoward.subject;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.geoward.json.Json;
import org.geoward.json.JsonObject;
import org.geoward.problem.ProblemException;

/** The device registry: trackers, phones and apps bound to the subjects they report for. ADMIN only: the list holds every device's unique id. */
@Controller("/api/devices")
@Secured("ADMIN")
@Tag(name = "devices", description = "Devices that report positions for subjects")
final class DeviceController {
    private final DeviceService devices;

    DeviceController(DeviceService devices) {
        this.devices = devices;
    }

    @Post
    @Secured("ADMIN")
    @Operation(summary = "Register a device; for HTTP protocols the answer carries its token, shown only this once")
    HttpResponse<DeviceRegistration> register(@Body @Schema(implementation = JsonObject.class) String json) {
        JsonNode body = Json.body(json);
        DeviceRegistration device = devices.register(body);
        return HttpResponse.created(device, URI.create("/api/devices/" + device.id()));
    }

    @Get
    @Operation(summary = "List registered devices (without tokens), optionally of one subject")
    List<Device> list(@Nullable @QueryValue String subjectId) {
        if (subjectId == null || subjectId.isBlank()) {
            return devices.list(null);
        }
        try {
            return devices.list(Long.parseLong(subjectId.trim()));
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("subjectId", "subjectId must be a subject id such as 12");
        }
    }

    @Delete("/{id}")
    @Secured("ADMIN")
    @Operation(summary = "Remove a device; its past sightings stay")
    HttpResponse<Void> delete(@PathVariable String id) {
        long value;
        try {
            value = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("device", id);
        }
        devices.delete(value);
        return HttpResponse.noContent();
    }
}
