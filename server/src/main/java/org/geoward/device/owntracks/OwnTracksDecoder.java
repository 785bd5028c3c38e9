package org.geoward.device.owntracks;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.geoward.device.Coordinates;
import org.geoward.device.DecodeException;
import org.geoward.device.HttpReply;
import org.geoward.device.ReportFields;
import org.geoward.json.Json;
import org.geoward.json.JsonFields;
import org.geoward.json.JsonValues;
import org.geoward.sighting.Sighting;

/**
 * Decodes OwnTracks messages (https://owntracks.org/booklet/tech/json/), as the app sends them in HTTP mode and
 * publishes them over MQTT. {@code _type: location} yields a position, and so does {@code _type: transition} (the
 * phone entered or left one of its own regions): the booklet gives it the {@code lat}, {@code lon} and {@code tst} of
 * the fix that triggered it, kept with {@code event} ({@code enter}/{@code leave}) and {@code desc} (the region) in
 * the extras. Waypoints (the phone's region definitions), cards, last wills and the rest are recognised and ignored:
 * Geoward's fences live on the server. The device id is the
 * {@code topic} with '/' replaced by '-' when present, else the tracker id {@code tid}, as in Traccar's
 * OwnTracksProtocolDecoder (Apache-2.0). Thread-safe.
 */
public final class OwnTracksDecoder {

    private static final String PROTOCOL = "OwnTracks";
    private static final Set<String> KNOWN =
            Set.of("_type", "lat", "lon", "tst", "acc", "batt", "vel", "cog", "alt", "topic");

    /** The reply OwnTracks expects: HTTP 200 with an empty JSON array (no messages for the phone). */
    public static HttpReply reply() {
        return new HttpReply(200, "application/json", "[]");
    }

    /**
     * Decodes one message.
     *
     * @return the position for a location message, empty for any other {@code _type}
     * @throws DecodeException when the body is not a JSON object with a {@code _type}, or a location message lacks
     *     its id, {@code lat}, {@code lon} or {@code tst}, or they are malformed
     */
    public Optional<Sighting> decode(String body) throws DecodeException {
        return decode(body, null);
    }

    /**
     * Decodes one message that arrived where the device is known otherwise (the MQTT topic): {@code topic} and
     * {@code tid} are optional then, and {@code knownId} is the id when the message has neither.
     */
    public Optional<Sighting> decode(String body, String knownId) throws DecodeException {
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (Json.MalformedJson e) {
            throw DecodeException.body(PROTOCOL, e);
        }
        if (!root.isObject()) {
            throw new DecodeException(PROTOCOL + " body must be a JSON object with '_type'");
        }
        JsonNode typeNode = JsonFields.member(root, "_type");
        if (typeNode == null) {
            List<String> fields = new ArrayList<>();
            root.fieldNames().forEachRemaining(fields::add);
            throw new DecodeException(PROTOCOL + " message has no '_type' (fields " + fields + ")");
        }
        String type = typeNode.isTextual() ? typeNode.textValue() : null;
        if (!"location".equals(type) && !"transition".equals(type)) {
            return Optional.empty();
        }
        String id =
                JsonFields.member(root, "topic") == null && JsonFields.member(root, "tid") == null && knownId != null
                        ? knownId
                        : uniqueId(root);
        String where = PROTOCOL + " " + type + " from '" + id + "'";
        Double lat = ReportFields.number(root.get("lat"), "lat", where);
        Double lon = ReportFields.number(root.get("lon"), "lon", where);
        if (lat == null || lon == null) {
            throw new DecodeException(where + " lacks 'lat' or 'lon'");
        }
        Coordinates.check(lat, lon, where);
        return Optional.of(Sighting.builder()
                .device(id)
                .time(time(JsonFields.member(root, "tst"), where))
                .at(lon, lat)
                .accuracy(ReportFields.nonNegative(ReportFields.number(root.get("acc"), "acc", where)))
                .speed(ReportFields.nonNegative(ReportFields.number(root.get("vel"), "vel", where)))
                .heading(ReportFields.nonNegative(ReportFields.number(root.get("cog"), "cog", where)))
                .altitude(ReportFields.finite(ReportFields.number(root.get("alt"), "alt", where)))
                .battery(ReportFields.nonNegative(ReportFields.number(root.get("batt"), "batt", where)))
                .extras(extras(root))
                .build());
    }

    private static String uniqueId(JsonNode root) throws DecodeException {
        JsonNode topic = JsonFields.member(root, "topic");
        JsonNode tid = JsonFields.member(root, "tid");
        String id =
                topic != null ? JsonValues.text(topic).replace('/', '-') : tid != null ? JsonValues.text(tid) : null;
        if (id == null || id.isBlank()) {
            throw new DecodeException(PROTOCOL + " message has no device id: expected 'topic' or 'tid'");
        }
        return id;
    }

    private static Instant time(JsonNode tst, String where) throws DecodeException {
        if (tst == null || !tst.isNumber()) {
            throw new DecodeException(where + " needs 'tst' as integer epoch seconds but has "
                    + (tst == null ? "none" : "'" + JsonValues.text(tst) + "'"));
        }
        try {
            return Instant.ofEpochSecond(tst.decimalValue().longValueExact());
        } catch (ArithmeticException | DateTimeException e) {
            // not a long, or beyond the years Instant holds
            throw new DecodeException(where + " has 'tst' " + tst.decimalValue() + ", not integer epoch seconds");
        }
    }

    private static Map<String, String> extras(JsonNode root) {
        Map<String, String> extras = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (!KNOWN.contains(name) && !value.isNull() && !value.isObject()) {
                extras.put(name.equals("t") ? "trigger" : name, JsonValues.text(value));
            }
        }
        return extras;
    }
}
