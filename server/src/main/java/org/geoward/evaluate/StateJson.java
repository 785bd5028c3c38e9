package org.geoward.evaluate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes and reads {@link SubjectState} as JSON with nothing but the JDK. */
final class StateJson {
    private StateJson() {}

    static String write(SubjectState s) {
        StringBuilder b = new StringBuilder(128).append("{\"v\":1");
        b.append(",\"lastFixTime\":").append(time(s.lastFixTime()));
        b.append(",\"lastLon\":").append(number(s.lastLon));
        b.append(",\"lastLat\":").append(number(s.lastLat));
        b.append(",\"lastAccuracy\":").append(number(s.lastAccuracy));
        b.append(",\"fences\":{");
        String sep = "";
        for (int i = 0; i < s.fences.size(); i++) {
            SubjectState.FenceState f = s.fences.stateAt(i);
            b.append(sep).append('"').append(s.fences.idAt(i)).append("\":{");
            b.append("\"side\":").append(f.side == null ? "null" : "\"" + f.side + "\"");
            b.append(",\"since\":").append(time(f.since));
            b.append(",\"episodeStart\":").append(time(f.episodeStart));
            b.append(",\"lastInside\":").append(time(f.lastInside));
            b.append(",\"loiterRaised\":").append(f.loiterRaised);
            b.append(",\"wanderPending\":").append(f.wanderPending).append('}');
            sep = ",";
        }
        b.append("},\"open\":[");
        sep = "";
        for (int i = 0; i < s.open.size(); i++) {
            b.append(sep).append("{\"type\":\"").append(s.open.typeAt(i)).append('"');
            b.append(",\"fence\":").append(s.open.fenceIdAt(i));
            b.append(",\"at\":").append(time(s.open.timeAt(i))).append('}');
            sep = ",";
        }
        return b.append("]}").toString();
    }

    private static String time(Instant t) {
        return t == null ? "null" : "\"" + t + "\"";
    }

    private static String number(double d) {
        return Double.isFinite(d) ? Double.toString(d) : "null";
    }

    @SuppressWarnings("unchecked")
    static SubjectState read(String json) {
        Map<String, Object> root = (Map<String, Object>) new Parser(json).value();
        SubjectState s = new SubjectState();
        s.setLastFixTime(instant(root.get("lastFixTime")));
        s.lastLon = dbl(root.get("lastLon"));
        s.lastLat = dbl(root.get("lastLat"));
        s.lastAccuracy = dbl(root.get("lastAccuracy"));
        Map<String, Object> fences = (Map<String, Object>) root.getOrDefault("fences", Map.of());
        for (Map.Entry<String, Object> e : fences.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            SubjectState.FenceState f = new SubjectState.FenceState();
            Object side = m.get("side");
            f.side = side == null ? null : SubjectState.Side.valueOf((String) side);
            f.since = instant(m.get("since"));
            f.episodeStart = instant(m.get("episodeStart"));
            f.lastInside = instant(m.get("lastInside"));
            f.loiterRaised = Boolean.TRUE.equals(m.get("loiterRaised"));
            f.wanderPending = Boolean.TRUE.equals(m.get("wanderPending"));
            s.fences.put(Long.parseLong(e.getKey()), f);
        }
        for (Object o : (List<Object>) root.getOrDefault("open", List.of())) {
            Map<String, Object> m = (Map<String, Object>) o;
            Object fence = m.get("fence");
            Long fenceId = fence == null ? null : ((Number) fence).longValue();
            s.open.put(
                    new SubjectState.AlertKey(AlertType.valueOf((String) m.get("type")), fenceId),
                    instant(m.get("at")));
        }
        return s;
    }

    private static Instant instant(Object o) {
        return o == null ? null : Instant.parse((String) o);
    }

    private static double dbl(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    /** Parses JSON into maps, lists, strings, doubles, booleans and nulls. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            skip();
            if (s.charAt(i) == '}') {
                i++;
                return m;
            }
            while (true) {
                skip();
                String key = string();
                skip();
                expect(':');
                m.put(key, value());
                skip();
                if (s.charAt(i++) == '}') {
                    return m;
                }
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            i++;
            skip();
            if (s.charAt(i) == ']') {
                i++;
                return l;
            }
            while (true) {
                l.add(value());
                skip();
                if (s.charAt(i++) == ']') {
                    return l;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    if (e == 'u') {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    } else {
                        b.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                    }
                } else {
                    b.append(c);
                }
            }
            i++;
            return b.toString();
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) {
                throw new IllegalArgumentException("bad JSON at " + i);
            }
            i += word.length();
            return v;
        }

        private Number number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("bad JSON at " + i);
            }
            String n = s.substring(start, i);
            boolean integral = n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0;
            return integral ? (Number) Long.parseLong(n) : (Number) Double.parseDouble(n);
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + (i - 1));
            }
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
