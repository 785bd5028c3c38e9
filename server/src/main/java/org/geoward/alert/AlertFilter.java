package org.geoward.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.geoward.clock.QueryTimes;
import org.geoward.evaluate.AlertType;
import org.geoward.problem.ProblemException;

/**
 * The filters of {@code GET /api/alerts}, checked: statuses and types (any of), subject, fence, a bbox the last
 * position lies in, and a range of {@code openedAt} ({@code from} inclusive, {@code to} exclusive).
 *
 * @param bbox west, south, east, north in degrees, or null
 */
record AlertFilter(
        List<AlertStatus> statuses,
        List<AlertType> types,
        Long subjectId,
        Long fenceId,
        double[] bbox,
        Instant from,
        Instant to,
        int limit,
        int offset) {

    static final int MAX_LIMIT = 10_000;

    /** The deepest page: beyond, narrow the query with from/to instead. */
    static final int MAX_OFFSET = 1_000_000;

    /** Reads the raw query values; throws a 400 {@link ProblemException} naming the parameter at fault. */
    static AlertFilter parse(
            String status,
            String type,
            String subjectId,
            String fenceId,
            String bbox,
            String from,
            String to,
            String limit,
            String offset) {
        Instant fromTime = QueryTimes.parse("from", from);
        Instant toTime = QueryTimes.parse("to", to);
        if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
            throw ProblemException.badRequest("to", "to must be after from");
        }
        int max = limit == null || limit.isBlank() ? 1000 : (int) number("limit", limit, 1, MAX_LIMIT);
        int skip = offset == null || offset.isBlank() ? 0 : (int) number("offset", offset, 0, MAX_OFFSET);
        return new AlertFilter(
                list("status", status, AlertStatus.class),
                list("type", type, AlertType.class),
                id("subjectId", subjectId),
                id("fenceId", fenceId),
                bbox(bbox),
                fromTime,
                toTime,
                max,
                skip);
    }

    private static <E extends Enum<E>> List<E> list(String name, String raw, Class<E> kind) {
        List<E> values = new ArrayList<>();
        if (raw == null || raw.isBlank()) {
            return values;
        }
        for (String part : raw.split(",")) {
            try {
                values.add(Enum.valueOf(kind, part.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest(
                        name,
                        name + " '" + part.trim() + "' is not one of "
                                + java.util.Arrays.toString(kind.getEnumConstants()));
            }
        }
        return values;
    }

    static Long id(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (!raw.trim().matches("\\d{1,18}")) {
            throw ProblemException.badRequest(name, name + " '" + raw + "' is not an id");
        }
        return Long.parseLong(raw.trim());
    }

    private static double number(String name, String raw, double min, double max) {
        try {
            double v = Double.parseDouble(raw.trim());
            if (Double.isFinite(v) && v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest(name, name + " '" + raw + "' must be a number from " + min + " to " + max);
    }

    private static double[] bbox(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String[] parts = raw.split(",");
        if (parts.length != 4) {
            throw ProblemException.badRequest("bbox", "bbox must be west,south,east,north in degrees");
        }
        double[] b = {
            number("bbox", parts[0], -180, 180),
            number("bbox", parts[1], -90, 90),
            number("bbox", parts[2], -180, 180),
            number("bbox", parts[3], -90, 90)
        };
        if (b[0] > b[2] || b[1] > b[3]) {
            throw ProblemException.badRequest(
                    "bbox", "bbox must be west,south,east,north with west <= east and south <= north");
        }
        return b;
    }
}
