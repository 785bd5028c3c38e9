package org.geoward.bench.load;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Geoward through its REST API: {@code POST /login}, one WARD ({@code POST /api/subjects}) and one OSMAND device
 * ({@code POST /api/devices}, whose answer carries the token its reports must send) per walker, and the ring's fences
 * as GeoJSON Features ({@code POST /api/fences}): SAFE, DANGER and BAN in turn, each SAFE fence naming every third
 * ward. Stored fixes are counted in {@code sighting} over JDBC when a database URL is given, else summed from
 * {@code GET /api/subjects/{id}/track}.
 */
final class GeowardTarget implements Target {
    private static final String[] KINDS = {"SAFE", "DANGER", "BAN"};
    private static final int TRACK_PAGE = 50_000;
    private static final int SETUP_THREADS = 4;
    /**
     * A guardian's consent on record with each ward: without it Geoward refuses the ward's fixes (403, docs/privacy.md).
     */
    private static final String CONSENT = ",\"consent\":{\"by\":\"geoward bench\",\"textVersion\":\"2026-12\"}";

    private final RestClient rest;
    private final String dbUrl;
    private final String dbUser;
    private final String dbPassword;
    private final List<String> fenceIds = new ArrayList<>();
    private String accessToken;

    GeowardTarget(URI api, String dbUrl, String dbUser, String dbPassword) {
        this.rest = new RestClient(api);
        this.dbUrl = dbUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    @Override
    public void logIn(String user, String password) {
        String body = rest.postJson(
                        "/login",
                        "{\"username\":" + JsonText.quote(user) + ",\"password\":" + JsonText.quote(password) + "}")
                .body();
        accessToken = JsonText.member(body, "access_token");
        rest.authenticate("Authorization", "Bearer " + accessToken);
    }

    @Override
    public List<BenchDevice> setUp(Ring ring, int devices, String runId) {
        List<BenchDevice> made = register(devices, n -> wardWithDevice(runId, n));
        makeFences(ring, runId, made);
        return made;
    }

    /**
     * Like {@link #setUp}, but wards without devices (their fixes are posted by subject id to {@code POST
     * /api/sightings}), which saves the server a bcrypt hash per device.
     */
    List<BenchDevice> setUpWards(Ring ring, int wards, String runId) {
        List<BenchDevice> made = register(wards, n -> ward(runId + " ward " + n));
        makeFences(ring, runId, made);
        return made;
    }

    /**
     * {@code wards} wards with a SAFE octagon of {@code radiusMeters} round {lon, lat} that names them all: a fix of
     * one of them inside, then one outside, opens a WANDER alert.
     */
    List<BenchDevice> setUpSafeZone(String runId, int wards, double lon, double lat, double radiusMeters) {
        List<BenchDevice> made = register(wards, n -> ward(runId + " probe " + n));
        StringJoiner subjects = new StringJoiner(",", "[", "]");
        made.forEach(w -> subjects.add(JsonText.quote(Long.toString(w.storeKey()))));
        StringBuilder ring = new StringBuilder("[[");
        for (int i = 0; i <= 8; i++) {
            double a = 2 * Math.PI * (i % 8) / 8;
            ring.append(i == 0 ? "" : ",")
                    .append('[')
                    .append(lon + radiusMeters * Math.cos(a) / Ring.M_PER_DEG_LON)
                    .append(',')
                    .append(lat + radiusMeters * Math.sin(a) / Ring.M_PER_DEG_LAT)
                    .append(']');
        }
        String feature = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + ring
                + "]]},\"properties\":{\"name\":" + JsonText.quote(runId + " probe zone")
                + ",\"kind\":\"SAFE\",\"subjects\":" + subjects + "}}";
        fenceIds.add(JsonText.member(rest.postJson("/api/fences", feature).body(), "id"));
        return made;
    }

    /** The REST client, logged in. */
    RestClient rest() {
        return rest;
    }

    /** The access token {@link #logIn} got (for {@code ?access_token=} on the alert stream). */
    String accessToken() {
        return accessToken;
    }

    private BenchDevice ward(String name) {
        String ward = rest.postJson(
                        "/api/subjects", "{\"kind\":\"WARD\",\"name\":" + JsonText.quote(name) + CONSENT + "}")
                .body();
        return new BenchDevice(name, null, Long.parseLong(JsonText.member(ward, "id")), null);
    }

    private List<BenchDevice> register(int count, java.util.function.IntFunction<BenchDevice> one) {
        List<BenchDevice> made = new ArrayList<>(count);
        ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
        try {
            List<Future<BenchDevice>> pending = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int n = i;
                pending.add(pool.submit(() -> one.apply(n)));
            }
            for (Future<BenchDevice> f : pending) {
                made.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering devices", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "registering the devices failed: " + e.getCause().getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        return made;
    }

    private void makeFences(Ring ring, String runId, List<BenchDevice> made) {
        int safeFences = (ring.fences() + KINDS.length - 1) / KINDS.length;
        for (int k = 0; k < ring.fences(); k++) {
            String kind = KINDS[k % KINDS.length];
            StringJoiner subjects = new StringJoiner(",", "[", "]");
            if (kind.equals("SAFE")) {
                for (int d = k / KINDS.length; d < made.size(); d += safeFences) {
                    subjects.add(JsonText.quote(Long.toString(made.get(d).storeKey())));
                }
            }
            String feature = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                    + ring.geoJsonCoordinates(k) + "},\"properties\":{\"name\":"
                    + JsonText.quote(runId + " fence " + k) + ",\"kind\":\"" + kind + "\""
                    + (kind.equals("SAFE") ? ",\"subjects\":" + subjects : "") + "}}";
            fenceIds.add(JsonText.member(rest.postJson("/api/fences", feature).body(), "id"));
        }
    }

    private BenchDevice wardWithDevice(String runId, int n) {
        String ward = rest.postJson(
                        "/api/subjects",
                        "{\"kind\":\"WARD\",\"name\":" + JsonText.quote(runId + " ward " + n) + CONSENT + "}")
                .body();
        String subjectId = JsonText.member(ward, "id");
        String uniqueId = runId + "-" + n;
        String device = rest.postJson(
                        "/api/devices",
                        "{\"uniqueId\":" + JsonText.quote(uniqueId) + ",\"protocol\":\"OSMAND\",\"subjectId\":"
                                + JsonText.quote(subjectId) + "}")
                .body();
        return new BenchDevice(
                uniqueId, JsonText.member(device, "token"), Long.parseLong(subjectId), JsonText.member(device, "id"));
    }

    @Override
    public Stored count(List<BenchDevice> devices, Instant from, Instant to) {
        return dbUrl != null ? countInDatabase(devices, from, to) : countThroughApi(devices, from, to);
    }

    private Stored countThroughApi(List<BenchDevice> devices, Instant from, Instant to) {
        long[] counts = new long[devices.size()];
        for (int i = 0; i < devices.size(); i++) {
            String since = from.toString();
            while (true) {
                String body = rest.get("/api/subjects/" + devices.get(i).storeKey() + "/track?from="
                                + URLEncoder.encode(since, StandardCharsets.UTF_8) + "&to="
                                + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8) + "&limit=" + TRACK_PAGE)
                        .body();
                int page = JsonText.length(body, "features");
                counts[i] += page;
                if (page < TRACK_PAGE) {
                    break;
                }
                // the next page starts a microsecond after the last fix of this one (event times are unique)
                since = Instant.parse(JsonText.lastOf(body, "time"))
                        .plusNanos(1_000)
                        .toString();
            }
        }
        return new Stored(counts, "rest", Map.of());
    }

    /**
     * Counts each subject's rows in {@code sighting}, and checks the evaluation kept up: the subjects whose {@code
     * subject_state.last_fix_at} is not their latest stored fix (evaluation failed or is still to catch up), and the
     * alerts the run opened.
     */
    private Stored countInDatabase(List<BenchDevice> devices, Instant from, Instant to) {
        Properties props = new Properties();
        props.setProperty("user", dbUser);
        if (dbPassword != null) {
            props.setProperty("password", dbPassword);
        }
        Long[] ids = devices.stream().map(BenchDevice::storeKey).toArray(Long[]::new);
        try (Connection c = DriverManager.getConnection(dbUrl, props)) {
            Array subjects = c.createArrayOf("bigint", ids);
            Map<Long, Long> bySubject = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT subject_id, count(*) FROM sighting"
                    + " WHERE subject_id = ANY(?) AND time >= ? AND time < ? GROUP BY subject_id")) {
                ps.setArray(1, subjects);
                ps.setTimestamp(2, Timestamp.from(from));
                ps.setTimestamp(3, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        bySubject.put(rs.getLong(1), rs.getLong(2));
                    }
                }
            }
            long[] counts = new long[devices.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = bySubject.getOrDefault(devices.get(i).storeKey(), 0L);
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put(
                    "unevaluated_subjects",
                    Long.toString(single(
                            c,
                            "SELECT count(*) FROM (SELECT subject_id, max(time) AS last FROM sighting"
                                    + " WHERE subject_id = ANY(?) GROUP BY subject_id) s"
                                    + " LEFT JOIN subject_state st USING (subject_id)"
                                    + " WHERE st.last_fix_at IS DISTINCT FROM s.last",
                            subjects)));
            details.put(
                    "alerts",
                    Long.toString(single(c, "SELECT count(*) FROM alert WHERE subject_id = ANY(?)", subjects)));
            return new Stored(counts, "jdbc", details);
        } catch (SQLException e) {
            throw new IllegalStateException("counting sightings in " + dbUrl + " failed: " + e.getMessage(), e);
        }
    }

    private static long single(Connection c, String sql, Array subjects) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, subjects);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Retires the fences and removes the devices; the wards stay (Geoward has no way to delete a subject). */
    @Override
    public void cleanUp(List<BenchDevice> devices) {
        for (String id : fenceIds) {
            rest.delete("/api/fences/" + id);
        }
        for (BenchDevice d : devices) {
            if (d.deviceKey() == null) {
                continue; // a ward without a device
            }
            rest.delete("/api/devices/" + d.deviceKey());
        }
    }
}
