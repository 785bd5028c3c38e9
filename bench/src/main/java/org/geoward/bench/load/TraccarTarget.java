package org.geoward.bench.load;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * Traccar through its REST API, as its resources read in traccar/traccar (api/resource/*Resource.java): a session
 * ({@code POST /api/session}, form fields {@code email} and {@code password}; the answer sets the JSESSIONID cookie),
 * one device per walker ({@code POST /api/devices} {name, uniqueId}), the ring's fences as polygon geofences ({@code
 * POST /api/geofences} {name, area}, WKT with latitude first as Traccar's GeofencePolygon reads it), each linked to
 * every device ({@code POST /api/permissions/bulk} [{deviceId, geofenceId}, ...]). Stored fixes are counted in {@code
 * tc_positions} over JDBC when a database URL is given, else with {@code GET /api/positions?deviceId=&from=&to=}.
 * Written from Traccar's source; not run against a Traccar here.
 */
final class TraccarTarget implements Target {
    private static final int PERMISSIONS_PER_CALL = 500;

    private final RestClient rest;
    private final String dbUrl;
    private final String dbUser;
    private final String dbPassword;
    private final List<String> geofenceIds = new ArrayList<>();

    TraccarTarget(URI api, String dbUrl, String dbUser, String dbPassword) {
        this.rest = new RestClient(api);
        this.dbUrl = dbUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    @Override
    public void logIn(String user, String password) {
        HttpResponse<String> session = rest.postForm("/api/session", Map.of("email", user, "password", password));
        String cookie = session.headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID="))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Traccar's session answer set no JSESSIONID cookie"));
        rest.authenticate("Cookie", cookie.split(";", 2)[0]);
    }

    @Override
    public List<BenchDevice> setUp(Ring ring, int devices, String runId) {
        List<BenchDevice> made = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            String uniqueId = runId + "-" + i;
            String body = rest.postJson(
                            "/api/devices",
                            "{\"name\":" + JsonText.quote(runId + " device " + i) + ",\"uniqueId\":"
                                    + JsonText.quote(uniqueId) + "}")
                    .body();
            String id = JsonText.member(body, "id");
            made.add(new BenchDevice(uniqueId, null, Long.parseLong(id), id));
        }
        for (int k = 0; k < ring.fences(); k++) {
            String body = rest.postJson(
                            "/api/geofences",
                            "{\"name\":" + JsonText.quote(runId + " fence " + k) + ",\"area\":"
                                    + JsonText.quote(ring.wktLatLon(k)) + "}")
                    .body();
            geofenceIds.add(JsonText.member(body, "id"));
        }
        List<String> links = new ArrayList<>();
        for (BenchDevice d : made) {
            for (String g : geofenceIds) {
                links.add("{\"deviceId\":" + d.deviceKey() + ",\"geofenceId\":" + g + "}");
            }
        }
        for (int from = 0; from < links.size(); from += PERMISSIONS_PER_CALL) {
            StringJoiner batch = new StringJoiner(",", "[", "]");
            links.subList(from, Math.min(links.size(), from + PERMISSIONS_PER_CALL))
                    .forEach(batch::add);
            rest.postJson("/api/permissions/bulk", batch.toString());
        }
        return made;
    }

    @Override
    public Stored count(List<BenchDevice> devices, Instant from, Instant to) {
        long[] counts = new long[devices.size()];
        if (dbUrl != null) {
            Map<Long, Long> byDevice = countInDatabase(devices);
            for (int i = 0; i < counts.length; i++) {
                counts[i] = byDevice.getOrDefault(devices.get(i).storeKey(), 0L);
            }
            return new Stored(counts, "jdbc", Map.of());
        }
        for (int i = 0; i < counts.length; i++) {
            String body = rest.get("/api/positions?deviceId=" + devices.get(i).storeKey() + "&from="
                            + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8) + "&to="
                            + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8))
                    .body();
            counts[i] = JsonText.length(body, null);
        }
        return new Stored(counts, "rest", Map.of());
    }

    /**
     * Counts all rows of the devices: they were made by this run, so every position is one of its fixes (and a time
     * range would depend on how Traccar's {@code timestamp} columns hold their time zone).
     */
    private Map<Long, Long> countInDatabase(List<BenchDevice> devices) {
        Properties props = new Properties();
        props.setProperty("user", dbUser);
        if (dbPassword != null) {
            props.setProperty("password", dbPassword);
        }
        Map<Long, Long> byDevice = new HashMap<>();
        try (Connection c = DriverManager.getConnection(dbUrl, props);
                PreparedStatement ps = c.prepareStatement(
                        "SELECT deviceid, count(*) FROM tc_positions WHERE deviceid = ANY(?) GROUP BY deviceid")) {
            ps.setArray(
                    1,
                    c.createArrayOf(
                            "bigint",
                            devices.stream().map(BenchDevice::storeKey).toArray(Long[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byDevice.put(rs.getLong(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting positions in " + dbUrl + " failed: " + e.getMessage(), e);
        }
        return byDevice;
    }

    /** Deletes the geofences and the devices (Traccar deletes a device's positions with it). */
    @Override
    public void cleanUp(List<BenchDevice> devices) {
        for (String id : geofenceIds) {
            rest.delete("/api/geofences/" + id);
        }
        for (BenchDevice d : devices) {
            rest.delete("/api/devices/" + d.deviceKey());
        }
    }
}
