package org.geoward.evaluate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes and reads {@link SubjectState} as JSON with Jackson (plain jackson-databind, no framework), in the format the
 * checkpoints have always had (format {@code "v":1}): {@code lastFixTime}, {@code lastLon}, {@code lastLat},
 * {@code lastAccuracy} (null when unknown), {@code fences} (fence id → side, since, episodeStart, lastInside,
 * loiterRaised, wanderPending) and {@code open} (type, fence or null, at). Times are ISO-8601 instants. Reading is
 * lenient about what PostgreSQL's {@code jsonb} does to a stored state (key order, spacing) and about members
 * missing, which read as unknown. Stateless.
 */
final class StateJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private StateJson() {}

    static String write(SubjectState s) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", 1);
            time(g, "lastFixTime", s.lastFixTime());
            number(g, "lastLon", s.lastLon);
            number(g, "lastLat", s.lastLat);
            number(g, "lastAccuracy", s.lastAccuracy);
            g.writeObjectFieldStart("fences");
            for (int i = 0; i < s.fences.size(); i++) {
                SubjectState.FenceState f = s.fences.stateAt(i);
                g.writeObjectFieldStart(Long.toString(s.fences.idAt(i)));
                if (f.side == null) {
                    g.writeNullField("side");
                } else {
                    g.writeStringField("side", f.side.name());
                }
                time(g, "since", f.since);
                time(g, "episodeStart", f.episodeStart);
                time(g, "lastInside", f.lastInside);
                g.writeBooleanField("loiterRaised", f.loiterRaised);
                g.writeBooleanField("wanderPending", f.wanderPending);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeArrayFieldStart("open");
            for (int i = 0; i < s.open.size(); i++) {
                g.writeStartObject();
                g.writeStringField("type", s.open.typeAt(i).name());
                Long fence = s.open.fenceIdAt(i);
                if (fence == null) {
                    g.writeNullField("fence");
                } else {
                    g.writeNumberField("fence", fence);
                }
                time(g, "at", s.open.timeAt(i));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void time(JsonGenerator g, String name, Instant t) throws IOException {
        if (t == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, t.toString());
        }
    }

    private static void number(JsonGenerator g, String name, double d) throws IOException {
        if (Double.isFinite(d)) {
            g.writeNumberField(name, d);
        } else {
            g.writeNullField(name);
        }
    }

    /** Reads a state; a document that is not a state object throws {@link IllegalArgumentException}. */
    static SubjectState read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored subject state is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("stored subject state is not a JSON object");
        }
        SubjectState s = new SubjectState();
        s.setLastFixTime(instant(root.get("lastFixTime")));
        s.lastLon = dbl(root.get("lastLon"));
        s.lastLat = dbl(root.get("lastLat"));
        s.lastAccuracy = dbl(root.get("lastAccuracy"));
        JsonNode fences = root.path("fences");
        for (Iterator<Map.Entry<String, JsonNode>> it = fences.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode m = e.getValue();
            SubjectState.FenceState f = new SubjectState.FenceState();
            JsonNode side = m.get("side");
            f.side = side == null || side.isNull() ? null : SubjectState.Side.valueOf(side.asText());
            f.since = instant(m.get("since"));
            f.episodeStart = instant(m.get("episodeStart"));
            f.lastInside = instant(m.get("lastInside"));
            f.loiterRaised = m.path("loiterRaised").asBoolean(false);
            f.wanderPending = m.path("wanderPending").asBoolean(false);
            s.fences.put(Long.parseLong(e.getKey()), f);
        }
        for (JsonNode m : root.path("open")) {
            JsonNode fence = m.get("fence");
            Long fenceId = fence == null || fence.isNull() ? null : fence.longValue();
            s.open.put(
                    new SubjectState.AlertKey(AlertType.valueOf(m.path("type").asText()), fenceId),
                    instant(m.get("at")));
        }
        return s;
    }

    private static Instant instant(JsonNode v) {
        return v == null || v.isNull() ? null : Instant.parse(v.asText());
    }

    private static double dbl(JsonNode v) {
        return v == null || v.isNull() ? Double.NaN : v.doubleValue();
    }
}
