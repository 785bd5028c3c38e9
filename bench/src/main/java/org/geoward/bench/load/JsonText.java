package org.geoward.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The little JSON the generator reads and writes: one top-level member, array lengths, quoted strings. */
final class JsonText {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {}

    /** The text of top-level member {@code name} of a JSON object (a string's value or a number's digits). */
    static String member(String json, String name) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("expected a JSON object, got: " + abbreviate(json));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals(name) && value.isScalarValue()) {
                    return p.getText();
                }
                p.skipChildren();
            }
            throw new IllegalStateException("no member '" + name + "' in " + abbreviate(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The number of elements of a top-level JSON array, or of the array in top-level member {@code name} when the
     * document is an object (a GeoJSON FeatureCollection's {@code features}).
     */
    static int length(String json, String name) {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    if (p.nextToken() == JsonToken.START_ARRAY && field.equals(name)) {
                        return elements(p);
                    }
                    p.skipChildren();
                }
                throw new IllegalStateException("no array '" + name + "' in " + abbreviate(json));
            }
            if (first != JsonToken.START_ARRAY) {
                throw new IllegalStateException("expected a JSON array, got: " + abbreviate(json));
            }
            return elements(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last value of a member called {@code name} anywhere in the document (the time of the last fix). */
    static String lastOf(String json, String name) {
        try (JsonParser p = FACTORY.createParser(json)) {
            String last = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals(name)) {
                    if (p.nextToken().isScalarValue()) {
                        last = p.getText();
                    }
                }
            }
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int elements(JsonParser p) throws IOException {
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
            n++;
        }
        return n;
    }

    /** {@code text} as a JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
