package org.geoward.device.osmand;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.geoward.device.Coordinates;
import org.geoward.device.DecodeException;
import org.geoward.device.ReportFields;
import org.geoward.json.Json;
import org.geoward.json.JsonFields;
import org.geoward.json.JsonValues;
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
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (Json.MalformedJson e) {
            throw DecodeException.body(PROTOCOL, e);
        }
        if (!root.isObject()) {
            throw new DecodeException(PROTOCOL + " body must be an object with 'location' and 'device_id'");
        }
        JsonNode location = JsonFields.member(root, "location");
        if (location == null) {
            throw new DecodeException(PROTOCOL + " body has no 'location' object");
        }
        List<JsonNode> locations = new ArrayList<>();
        if (location.isArray()) {
            location.forEach(locations::add);
        } else {
            locations.add(location);
        }
        List<Sighting> positions = new ArrayList<>();
        for (JsonNode each : locations) {
            if (!each.isObject()) {
                throw new DecodeException(
                        PROTOCOL + " body has no 'location' object (got " + JsonValues.text(each) + ")");
            }
            positions.add(decodeLocation(each, deviceId(root, each), clock));
        }
        return positions;
    }

    private static String deviceId(JsonNode root, JsonNode location) throws DecodeException {
        JsonNode id = JsonFields.member(root, "device_id") != null
                ? JsonFields.member(root, "device_id")
                : JsonFields.member(location, "device_id");
        if (id == null || JsonValues.text(id).isBlank()) {
            throw new DecodeException(PROTOCOL + " body has no device id: expected 'device_id' beside 'location'");
        }
        return JsonValues.text(id).trim();
    }

    private static Sighting decodeLocation(JsonNode location, String id, Clock clock) throws DecodeException {
        String where = PROTOCOL + " report from device '" + id + "'";
        JsonNode coords = JsonFields.member(location, "coords");
        if (coords == null || !coords.isObject()) {
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
        JsonNode timestamp = JsonFields.member(location, "timestamp");
        if (timestamp == null) {
            time = clock.instant();
            extras.put("time", "received");
        } else {
            time = ReportFields.parseTime(JsonValues.text(timestamp), "location.timestamp", where);
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
                .battery(batteryPercent(JsonFields.member(location, "battery"), where))
                .extras(extras)
                .build();
    }

    /** The plugin reports battery level as a fraction 0-1, and -1 when unknown. */
    private static Double batteryPercent(JsonNode battery, String where) throws DecodeException {
        if (battery == null || !battery.isObject()) {
            return null;
        }
        Double level = ReportFields.nonNegative(ReportFields.number(battery.get("level"), "battery.level", where));
        if (level == null) {
            return null;
        }
        return level <= 1 ? level * 100 : Math.min(level, 100);
    }

    private static Map<String, String> extras(JsonNode location) {
        Map<String, String> extras = new HashMap<>();
        for (String name : List.of("event", "is_moving", "odometer", "mock", "uuid")) {
            if (JsonFields.member(location, name) != null) {
                extras.put(name, JsonValues.text(location.get(name)));
            }
        }
        JsonNode battery = JsonFields.member(location, "battery");
        if (battery != null && battery.isObject() && JsonFields.member(battery, "is_charging") != null) {
            extras.put("charging", JsonValues.text(battery.get("is_charging")));
        }
        JsonNode activity = JsonFields.member(location, "activity");
        if (activity != null && activity.isObject() && JsonFields.member(activity, "type") != null) {
            extras.put("activity", JsonValues.text(activity.get("type")));
        }
        JsonNode custom = JsonFields.member(location, "extras");
        if (custom != null && custom.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = custom.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    extras.put(e.getKey(), JsonValues.text(e.getValue()));
                }
            }
        }
        return extras;
    }
}
