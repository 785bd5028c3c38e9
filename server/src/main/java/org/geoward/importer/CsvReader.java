package org.geoward.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code lon,lat,time[,accuracy]} lines. The first line may be a header naming those columns (in any order);
 * without one the order is as above. Time is ISO-8601 with an offset, or epoch seconds or milliseconds; accuracy is
 * metres. Blank lines and lines starting with {@code #} are skipped. One line at a time: the file is never held.
 */
final class CsvReader implements TrackReader {
    private static final long SECONDS_LIMIT = 100_000_000_000L;

    private final BufferedReader in;
    private long line;
    private int lonColumn = 0;
    private int latColumn = 1;
    private int timeColumn = 2;
    private int accuracyColumn = 3;

    CsvReader(InputStream stream) {
        this.in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 64 * 1024);
    }

    @Override
    public Optional<TrackLine> next() throws IOException {
        String text;
        while ((text = in.readLine()) != null) {
            line++;
            if (line == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text = text.substring(1);
            }
            String trimmed = text.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (line == 1 && isHeader(trimmed)) {
                continue;
            }
            return Optional.of(parse(trimmed));
        }
        return Optional.empty();
    }

    private boolean isHeader(String text) {
        String[] cells = text.split(",", -1);
        if (cells.length == 0 || looksNumeric(cells[0].trim())) {
            return false;
        }
        lonColumn = latColumn = timeColumn = accuracyColumn = -1;
        for (int i = 0; i < cells.length; i++) {
            switch (cells[i].trim().replace("\"", "").toLowerCase(Locale.ROOT)) {
                case "lon", "lng", "longitude" -> lonColumn = i;
                case "lat", "latitude" -> latColumn = i;
                case "time", "timestamp" -> timeColumn = i;
                case "accuracy", "acc" -> accuracyColumn = i;
                default -> {}
            }
        }
        if (lonColumn < 0 || latColumn < 0 || timeColumn < 0) {
            // not a header we understand: keep the positional order
            lonColumn = 0;
            latColumn = 1;
            timeColumn = 2;
            accuracyColumn = 3;
        }
        return true;
    }

    private static boolean looksNumeric(String s) {
        return !s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-' || s.charAt(0) == '+');
    }

    private TrackLine parse(String text) {
        String[] cells = text.split(",", -1);
        if (cells.length <= Math.max(lonColumn, Math.max(latColumn, timeColumn))) {
            return TrackLine.bad(line, "expected lon,lat,time[,accuracy] but found " + cells.length + " field(s)");
        }
        Double lon = number(cells[lonColumn]);
        Double lat = number(cells[latColumn]);
        if (lon == null || lat == null) {
            return TrackLine.bad(
                    line,
                    "lon '" + cells[lonColumn].trim() + "' and lat '" + cells[latColumn].trim() + "' must be numbers");
        }
        String timeText = cells[timeColumn].trim();
        if (timeText.isEmpty()) {
            return TrackLine.bad(line, "time is empty; a sighting needs one");
        }
        Instant time = time(timeText);
        if (time == null) {
            return TrackLine.bad(line, "time '" + timeText + "' is neither ISO-8601 nor epoch seconds/milliseconds");
        }
        Double accuracy = null;
        if (accuracyColumn >= 0 && accuracyColumn < cells.length && !cells[accuracyColumn].isBlank()) {
            accuracy = number(cells[accuracyColumn]);
            if (accuracy == null) {
                return TrackLine.bad(line, "accuracy '" + cells[accuracyColumn].trim() + "' is not a number");
            }
        }
        return TrackLine.ok(line, lon, lat, time, accuracy);
    }

    private static Double number(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Instant time(String text) {
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                long value = Long.parseLong(text);
                return value < SECONDS_LIMIT ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
