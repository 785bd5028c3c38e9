package org.geoward.device.osmand;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.geoward.device.Coordinates;
import org.geoward.device.DecodeException;
import org.geoward.device.JsonTree;
import org.geoward.device.ReportFields;
import org.geoward.sighting.Sighting;

/**
 * The JSON form of the OsmAnd protocol, as the Transistorsoft background-geolocation plugin posts it: {@code
 * location.coords} (degrees, metres, speed in m/s, -1 for unknown), {@code location.battery.level} (0-1) and
 * {@code location.extras} (copied to {@link Sighting#extras()}).
 */
final class OsmAndJson {

    private static final String PROTOCOL = "OsmAnd JSON";

    private OsmAndJson() {}

    static List<Sighting> decode(String body, Clock clock) throws DecodeException {
        if (!(JsonTree.parse(body, PROTOCOL) instanceof Map<?, ?> root)) {
            throw new DecodeException(PROTOCOL + " body must be an object with 'location' and 'device_id'");
        }
        Object location = root.get("location");
        if (location == null) {
            throw new DecodeException(PROTOCOL + " body has no 'location' object");
        }
        List<Object> locations = location instanceof List<?> list ? new ArrayList<>(list) : List.of(location);
        List<Sighting> positions = new ArrayList<>();
        for (Object each : locations) {
            if (!(each instanceof Map<?, ?> map)) {
                throw new DecodeException(
                        PROTOCOL + " body has no 'location' object (got " + JsonTree.text(each) + ")");
            }
            positions.add(decodeLocation(map, deviceId(root, map), clock));
        }
        return positions;
    }

    private static String deviceId(Map<?, ?> root, Map<?, ?> location) throws DecodeException {
        Object id = root.get("device_id") != null ? root.get("device_id") : location.get("device_id");
        if (id == null || JsonTree.text(id).isBlank()) {
            throw new DecodeException(PROTOCOL + " body has no device id: expected 'device_id' beside 'location'");
        }
        return JsonTree.text(id).trim();
    }

    private static Sighting decodeLocation(Map<?, ?> location, String id, Clock clock) throws DecodeException {
        String where = PROTOCOL + " report from device '" + id + "'";
        if (!(location.get("coords") instanceof Map<?, ?> coords)) {
            throw new DecodeException(where + " has no 'location.coords' object");
        }
        Double lat = ReportFields.number(coords.get("latitude"), "coords.latitude", where);
        Double lon = ReportFields.number(coords.get("longitude"), "coords.longitude", where);
        if (lat == null || lon == null) {
            throw new DecodeException(where + " lacks 'coords.latitude' or 'coords.longitude'");
        }
        Coordinates.check(lat, lon, where);
        Map<String, String> extras = extras(location);
        Instant time;
        Object timestamp = location.get("timestamp");
        if (timestamp == null) {
            time = clock.instant();
            extras.put("time", "received");
        } else {
            time = ReportFields.parseTime(JsonTree.text(timestamp), "location.timestamp", where);
        }
        Double mps = ReportFields.nonNegative(ReportFields.number(coords.get("speed"), "coords.speed", where));
        return Sighting.builder()
                .device(id)
                .time(time)
                .at(lon, lat)
                .accuracy(
                        ReportFields.nonNegative(ReportFields.number(coords.get("accuracy"), "coords.accuracy", where)))
                .speed(mps == null ? null : mps * OsmAndDecoder.KMH_PER_MPS)
                .heading(ReportFields.nonNegative(ReportFields.number(coords.get("heading"), "coords.heading", where)))
                .altitude(ReportFields.finite(ReportFields.number(coords.get("altitude"), "coords.altitude", where)))
                .battery(batteryPercent(location.get("battery"), where))
                .extras(extras)
                .build();
    }

    /** The plugin reports battery level as a fraction 0-1, and -1 when unknown. */
    private static Double batteryPercent(Object battery, String where) throws DecodeException {
        if (!(battery instanceof Map<?, ?> map)) {
            return null;
        }
        Double level = ReportFields.nonNegative(ReportFields.number(map.get("level"), "battery.level", where));
        if (level == null) {
            return null;
        }
        return level <= 1 ? level * 100 : Math.min(level, 100);
    }

    private static Map<String, String> extras(Map<?, ?> location) {
        Map<String, String> extras = new HashMap<>();
        for (String name : List.of("event", "is_moving", "odometer", "mock", "uuid")) {
            if (location.get(name) != null) {
                extras.put(name, JsonTree.text(location.get(name)));
            }
        }
        if (location.get("battery") instanceof Map<?, ?> battery && battery.get("is_charging") != null) {
            extras.put("charging", JsonTree.text(battery.get("is_charging")));
        }
        if (location.get("activity") instanceof Map<?, ?> activity && activity.get("type") != null) {
            extras.put("activity", JsonTree.text(activity.get("type")));
        }
        if (location.get("extras") instanceof Map<?, ?> custom) {
            custom.forEach((name, value) -> {
                if (value != null) {
                    extras.put(String.valueOf(name), JsonTree.text(value));
                }
            });
        }
        return extras;
    }
}
