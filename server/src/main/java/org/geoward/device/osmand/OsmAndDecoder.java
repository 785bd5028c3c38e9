package org.geoward.device.osmand;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.geoward.device.Coordinates;
import org.geoward.device.DecodeException;
import org.geoward.device.HttpReply;
import org.geoward.device.ReportFields;
import org.geoward.sighting.Sighting;

/**
 * Decodes the OsmAnd protocol spoken by the Traccar Client app and many others: a query string ({@code
 * id=..&lat=..&lon=..&timestamp=..}, speed in knots) or the JSON body of the Transistorsoft background-geolocation
 * plugin ({@code {"location":{"coords":{..}},"device_id":..}}, speed in m/s). Parameter meanings follow Traccar's
 * OsmAndProtocolDecoder (Apache-2.0). Thread-safe.
 */
public final class OsmAndDecoder {

    static final double KMH_PER_KNOT = 1.852;
    static final double KMH_PER_MPS = 3.6;

    private static final Set<String> KNOWN = Set.of(
            "id",
            "deviceid",
            "timestamp",
            "lat",
            "lon",
            "location",
            "speed",
            "bearing",
            "heading",
            "altitude",
            "accuracy",
            "batt",
            "alarm");

    private final Clock clock;

    /** @param clock supplies the received time for reports that carry no timestamp */
    public OsmAndDecoder(Clock clock) {
        this.clock = clock;
    }

    public OsmAndDecoder() {
        this(Clock.systemUTC());
    }

    /** The reply the app expects once a report is taken: HTTP 200 with an empty body. */
    public static HttpReply reply() {
        return new HttpReply(200, "text/plain", "");
    }

    /**
     * Splits a raw query string (with or without a leading path and '?') into decoded parameters, keeping
     * repeated names in order. '+' decodes to a space.
     */
    public static Map<String, List<String>> parseQuery(String query) {
        String raw = query == null ? "" : query;
        int mark = raw.indexOf('?');
        if (mark >= 0) {
            raw = raw.substring(mark + 1);
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return text;
        }
    }

    /**
     * Decodes one query-string report.
     *
     * @return the position, or empty when the report carries no coordinates (only cell towers or Wi-Fi, or the
     *     0,0 the app sends before its first fix)
     * @throws DecodeException when the device id is missing, or a coordinate or the timestamp is malformed
     */
    public Optional<Sighting> decodeQuery(Map<String, List<String>> params) throws DecodeException {
        String id = first(params, "id");
        if (id == null || id.isBlank()) {
            id = first(params, "deviceid");
        }
        if (id == null || id.isBlank()) {
            throw new DecodeException("OsmAnd report has no device id: expected parameter 'id' or 'deviceid'"
                    + " but got " + params.keySet());
        }
        String where = "OsmAnd report from device '" + id + "'";
        double[] latLon = coordinates(params, where);
        if (latLon == null || (latLon[0] == 0 && latLon[1] == 0)) {
            return Optional.empty();
        }
        Coordinates.check(latLon[0], latLon[1], where);
        Map<String, String> extras = extras(params);
        String timestamp = first(params, "timestamp");
        Instant time;
        if (timestamp == null || timestamp.isBlank()) {
            time = clock.instant();
            extras.put("time", "received");
        } else {
            time = ReportFields.parseTime(timestamp, "timestamp", where);
        }
        Double knots = ReportFields.nonNegative(ReportFields.parseNumber(first(params, "speed"), "speed", where));
        String bearing = first(params, "bearing") != null ? first(params, "bearing") : first(params, "heading");
        String alarm = first(params, "alarm");
        return Optional.of(Sighting.builder()
                .device(id.trim())
                .time(time)
                .at(latLon[1], latLon[0])
                .accuracy(ReportFields.nonNegative(
                        ReportFields.parseNumber(first(params, "accuracy"), "accuracy", where)))
                .speed(knots == null ? null : knots * KMH_PER_KNOT)
                .heading(ReportFields.nonNegative(ReportFields.parseNumber(bearing, "bearing", where)))
                .altitude(ReportFields.finite(ReportFields.parseNumber(first(params, "altitude"), "altitude", where)))
                .battery(ReportFields.nonNegative(ReportFields.parseNumber(first(params, "batt"), "batt", where)))
                .sos("sos".equalsIgnoreCase(alarm))
                .extras(extras)
                .build());
    }

    private static double[] coordinates(Map<String, List<String>> params, String where) throws DecodeException {
        String lat = first(params, "lat");
        String lon = first(params, "lon");
        if (lat != null || lon != null) {
            if (lat == null || lon == null) {
                throw new DecodeException(where + " has '" + (lat == null ? "lon" : "lat") + "' without '"
                        + (lat == null ? "lat" : "lon") + "'");
            }
            return new double[] {
                ReportFields.parseNumber(lat, "lat", where), ReportFields.parseNumber(lon, "lon", where)
            };
        }
        String location = first(params, "location");
        if (location == null) {
            return null;
        }
        String[] parts = location.split(",");
        if (parts.length != 2) {
            throw new DecodeException("field 'location' should be 'lat,lon' but is '" + location + "' in " + where);
        }
        return new double[] {
            ReportFields.parseNumber(parts[0], "location", where), ReportFields.parseNumber(parts[1], "location", where)
        };
    }

    private static Map<String, String> extras(Map<String, List<String>> params) {
        Map<String, String> extras = new HashMap<>();
        params.forEach((name, values) -> {
            if (!KNOWN.contains(name) && !values.isEmpty()) {
                extras.put(name, String.join(";", values));
            }
        });
        String alarm = first(params, "alarm");
        if (alarm != null) {
            extras.put("alarm", alarm);
        }
        return extras;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Decodes a JSON body in the Transistorsoft format; {@code location} may be one object or an array of them.
     *
     * @throws DecodeException when the body is not JSON, lacks the device id or coordinates, or a value is
     *     malformed
     */
    public List<Sighting> decodeJson(String body) throws DecodeException {
        return OsmAndJson.decode(body, clock);
    }
}
