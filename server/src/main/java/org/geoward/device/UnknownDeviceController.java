package org.geoward.device;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/** Devices that tried to report without being registered, for an admin to claim with {@code POST /api/devices}. */
@Controller("/api/devices/unknown")
@Secured("ADMIN")
@Tag(name = "Devices")
final class UnknownDeviceController {
    private final DeviceIngest ingest;

    UnknownDeviceController(DeviceIngest ingest) {
        this.ingest = ingest;
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "List unregistered devices that tried to report")
    List<DeviceIngest.UnknownDevice> list() {
        return ingest.unknownDevices();
    }
}
