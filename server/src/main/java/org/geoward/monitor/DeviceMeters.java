package org.geoward.monitor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import org.geoward.device.DeviceListeners;

/**
 * {@code geoward_device_connections{protocol="GT06"}}: trackers connected to the GT06 listener now. OsmAnd and
 * OwnTracks devices send one HTTP request per fix and hold no connection; OwnTracks over MQTT is one connection to
 * the broker ({@code geoward_mqtt_connected}).
 */
@Context
final class DeviceMeters {
    DeviceMeters(DeviceListeners listeners, MeterRegistry registry) {
        Gauge.builder("geoward.device.connections", listeners, DeviceListeners::gt06Connections)
                .description("devices connected to a TCP device listener")
                .tag("protocol", "GT06")
                .register(registry);
    }
}
