package org.geoward.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.geoward.demo.DemoCity.Officer;
import org.geoward.demo.DemoCity.Pt;
import org.geoward.demo.DemoCity.Role;
import org.geoward.demo.DemoCity.Ward;
import org.geoward.device.DeviceListeners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the demo city to life: sends the cast's positions through the public ingest paths (most as {@code POST
 * /api/sightings} to the running server, the wanderer's watch and one patrol car through the OsmAnd listener) and
 * plays the simulated officers through the dispatch API (accept, walk to the alert, arrive by fix, resolve).
 *
 * <p>Time is compressed {@code geoward.demo.speed} times (default 30): the simulated clock starts {@code
 * geoward.demo.lead-minutes} (45) before now, runs at speed × real time and never passes now, so every event time is
 * in the past. The scenario, in simulated minutes: visitors come to the bank from 2 (passers leave within 15, three
 * anglers stay 40: LOITER at about 32, two of them have phones and get the warning SMS); a ward walks out with her
 * son at 3 (no alert); a ward walks off alone at 4 (WANDER, her daughter gets an SMS, a police officer is sent
 * automatically); a ward heads for the Yangtze at 6 (DANGER); a ward presses SOS at 8. The watch of a fifth ward
 * reports on the wall clock and goes silent after {@code geoward.demo.silent-after} (20 s; OFFLINE a minute later).
 *
 * <p>Runs on its own thread when {@code geoward.demo.simulate} is true (the default); {@link #stop()} ends it.
 */
@Singleton
@Requires(property = "geoward.demo", value = "true")
public class DemoSimulator {
    private static final Logger LOG = LoggerFactory.getLogger(DemoSimulator.class);

    private final DemoSeeder seeder;
    private final DeviceListeners listeners;
    private final TokenGenerator tokens;
    private final JsonMapper json;
    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> tx;
    private final boolean simulate;
    private final double speed;
    private final int leadMinutes;
    private final Duration silentAfter;
    private final Duration silentFixAge;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong sent = new AtomicLong();

    private volatile Thread thread;
    private volatile boolean running;

    // state of the run, touched only by the simulator thread
    private String base;
    private String osmandBase;
    private DemoSeeder.Cast cast;
    private Instant simStart;
    private long realStart;
    private String runId;
    private final Map<String, Path> paths = new HashMap<>();
    private final List<Visitor> visitors = new ArrayList<>();
    private final List<Patrol> patrols = new ArrayList<>();
    private boolean sosPressed;
    private boolean citizenReported;
    private boolean homeAlarmRaised;
    private Instant lastSilentReport;
    private String simToken;
    private long simTokenAt;
    private long lastWarning;

    DemoSimulator(
            DemoSeeder seeder,
            DeviceListeners listeners,
            TokenGenerator tokens,
            JsonMapper json,
            JdbcOperations jdbc,
            TransactionOperations<Connection> tx,
            @Value("${geoward.demo.simulate:true}") boolean simulate,
            @Value("${geoward.demo.speed:30}") double speed,
            @Value("${geoward.demo.lead-minutes:45}") int leadMinutes,
            @Value("${geoward.demo.silent-after:20s}") Duration silentAfter,
            @Value("${geoward.demo.silent-fix-age:0s}") Duration silentFixAge) {
        this.seeder = seeder;
        this.listeners = listeners;
        this.tokens = tokens;
        this.json = json;
        this.jdbc = jdbc;
        this.tx = tx;
        this.simulate = simulate;
        this.speed = Math.max(1, speed);
        this.leadMinutes = Math.max(1, leadMinutes);
        this.silentAfter = silentAfter;
        this.silentFixAge = silentFixAge.isNegative() ? Duration.ZERO : silentFixAge;
    }

    @EventListener
    void onServerStarted(ServerStartupEvent event) {
        if (!simulate) {
            LOG.info("Demo simulator off (geoward.demo.simulate=false)");
            return;
        }
        EmbeddedServer server = event.getSource();
        String host = server.getHost();
        if (host == null || host.equals("0.0.0.0") || host.equals("::") || host.isBlank()) {
            host = "127.0.0.1";
        }
        start("http://" + host + ":" + server.getPort());
    }

    /** Starts the simulator against the server at {@code baseUrl}; does nothing if it runs. */
    public synchronized void start(String baseUrl) {
        if (thread != null) {
            return;
        }
        this.base = baseUrl;
        running = true;
        thread = new Thread(this::run, "demo-simulator");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the simulator and waits for its thread. */
    @PreDestroy
    public synchronized void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    /** Whether the simulator thread runs. */
    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** The simulated clock: speed × real time from the start, never after now. */
    Instant clock() {
        Instant now = Instant.now();
        long elapsedNanos = System.nanoTime() - realStart;
        Instant sim = simStart.plusNanos((long) (elapsedNanos * speed));
        return sim.isAfter(now) ? now : sim;
    }

    private void run() {
        try {
            prepare();
            Duration interval = Duration.ofSeconds((long) Math.max(30, Math.ceil(speed * 0.5)));
            Instant next = simStart;
            long lastPoll = 0;
            while (running) {
                Instant now = clock();
                while (running && !next.isAfter(now)) {
                    emit(next, interval);
                    next = next.plus(interval);
                }
                silentWatch();
                citizenReport(now);
                homeAlarm(now);
                if (System.nanoTime() - lastPoll > 300_000_000L) {
                    lastPoll = System.nanoTime();
                    dispatch(clock());
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("demo simulator stopped", e);
        } finally {
            LOG.info("Demo simulator stopped after {} position reports", sent.get());
        }
    }

    // Set-up
    // -----------------------------------------------------------------------------------------------------------

    private void prepare() {
        cast = seeder.cast();
        if (cast == null) {
            throw new IllegalStateException("the demo city was not seeded");
        }
        listeners.osmandAddress().ifPresent(a -> osmandBase = "http://" + hostOf(a) + ":" + a.getPort() + "/");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant lead = now.minus(Duration.ofMinutes(leadMinutes));
        Instant newest = newestDemoFix();
        simStart =
                newest != null && newest.isAfter(lead) ? newest.plusSeconds(1).truncatedTo(ChronoUnit.SECONDS) : lead;
        realStart = System.nanoTime();
        runId = Long.toString(now.getEpochSecond() / 60, 36);
        if (simStart.isAfter(lead.plusSeconds(60))) {
            LOG.warn(
                    "Demo data was used {} minutes ago: the simulated clock starts then, so part of the show runs in"
                            + " real time. Start with --reset for the full show.",
                    Duration.between(simStart, now).toMinutes());
        }
        scripts();
        LOG.info(
                "Demo simulator: speed {}x, simulated clock from {} ({} min before now), sending to {}{}",
                speed,
                simStart,
                Duration.between(simStart, now).toMinutes(),
                base,
                osmandBase == null ? "" : " and OsmAnd " + osmandBase);
    }

    private static String hostOf(InetSocketAddress a) {
        return a.getAddress() == null || a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getHostString();
    }

    private Instant newestDemoFix() {
        long silent = cast.id(DemoCity.ward(Role.SILENT).key());
        Long[] ids = cast.ids().values().stream().filter(id -> id != silent).toArray(Long[]::new);
        return tx.executeRead(
                status -> jdbc.prepareStatement("SELECT max(time) FROM sighting WHERE subject_id = ANY(?)", ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids));
                    try (ResultSet rs = ps.executeQuery()) {
                        Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
                        return t == null ? null : t.toInstant();
                    }
                }));
    }

    private void scripts() {
        for (Ward w : DemoCity.WARDS) {
            Pt home = w.home();
            Path p =
                    switch (w.role()) {
                        case COMPANION -> new Path()
                                .at(0, home)
                                .at(3, home)
                                .at(10, home.plus(0, -450))
                                .at(16, home.plus(0, -450))
                                .at(23, home);
                        case WANDER -> new Path().at(0, home).at(4, home).at(16, home.plus(-700, -250));
                        case RIVER -> new Path()
                                .at(0, home)
                                .at(6, home)
                                .at(16, new Pt(home.lon(), 29.7292))
                                .at(24, new Pt(home.lon(), 29.7292))
                                .at(34, home);
                        default -> new Path().at(0, home);
                    };
            paths.put(w.key(), p);
        }
        Ward companion = DemoCity.ward(Role.COMPANION);
        paths.put(
                "guardian-" + companion.key().substring(5),
                paths.get(companion.key()).shifted(5, 3));
        int n = 0;
        for (int start : new int[] {2, 5, 9, 12, 15}) {
            Pt from = DemoCity.CAMERA.plus(-300, 0);
            Pt to = DemoCity.CAMERA.plus(300, 0);
            Path p = new Path().at(start, from).at(start + 9, to).at(start + 15, to.plus(0, -450));
            visitors.add(new Visitor("fuling-" + runId + "-p" + ++n, p, start, start + 15, null));
        }
        for (int k = 0; k < 3; k++) {
            int start = 2 + k;
            int leave = 40 + 2 * k;
            Pt spot = DemoCity.FISHING_SPOT.plus(-120 + 120 * k, 0);
            Path p = new Path().at(start, spot).at(leave, spot).at(leave + 8, spot.plus(0, -550));
            String phone = k < 2
                    ? "+86139000"
                            + String.format("%05d", ThreadLocalRandom.current().nextInt(100_000))
                    : null;
            visitors.add(new Visitor("fuling-" + runId + "-a" + (k + 1), p, start, leave + 8, phone));
        }
        for (Officer o : DemoCity.OFFICERS) {
            Patrol patrol = new Patrol(o, cast.id(o.key()));
            patrol.pos = o.loop().get(0);
            patrols.add(patrol);
        }
    }

    // Positions ------------------------------------------------------------------------------------------------------

    private double minutes(Instant t) {
        return Duration.between(simStart, t).toMillis() / 60_000.0;
    }

    private void emit(Instant t, Duration interval) {
        double m = minutes(t);
        List<Map<String, Object>> batch = new ArrayList<>();
        Ward wanderer = DemoCity.ward(Role.WANDER);
        for (Ward w : DemoCity.WARDS) {
            if (w.role() == Role.SILENT) {
                continue;
            }
            Pt p = paths.get(w.key()).at(m);
            if (w.role() == Role.COMPANION) {
                String g = "guardian-" + w.key().substring(5);
                batch.add(fix("subjectId", cast.id(g), t, paths.get(g).at(m)));
            }
            if (w == wanderer && osmandBase != null) {
                osmand("fuling-osmand-" + w.key(), token(w.key()), t, p, 0);
                continue;
            }
            Map<String, Object> item = fix("subjectId", cast.id(w.key()), t, p);
            if (w.role() == Role.SOS && m >= 8 && !sosPressed) {
                item.put("sos", true);
                sosPressed = true;
            }
            batch.add(item);
        }
        for (Visitor v : visitors) {
            if (m >= v.from && m <= v.until + interval.toSeconds() / 60.0) {
                Map<String, Object> item = fix("trackId", v.trackId, t, v.path.at(m));
                item.put("source", "CAMERA");
                item.put("accuracy", 10);
                item.put("evidenceUrl", evidence(v.trackId, t));
                if (v.phone != null) {
                    item.put("phone", v.phone);
                }
                batch.add(item);
            }
        }
        for (Patrol o : patrols) {
            o.move(interval.toSeconds());
            if (o.officer.key().equals("police-01") && osmandBase != null) {
                osmand("fuling-osmand-police-01", token("police-01"), t, o.pos, o.officer.kmh());
            } else {
                batch.add(fix("deviceId", "fuling-" + o.officer.key(), t, o.pos));
            }
        }
        post("/api/sightings", batch, simToken());
        sent.addAndGet(batch.size());
    }

    /**
     * The silent ward's watch reports on the wall clock, then goes quiet: OFFLINE a minute later. Its fixes are {@code
     * geoward.demo.silent-fix-age} old (0 s; a test sets 50 s, so OFFLINE comes 10 s after the silence, not 60).
     */
    private void silentWatch() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        boolean talking = Duration.ofNanos(System.nanoTime() - realStart).compareTo(silentAfter) < 0;
        if ((lastSilentReport == null || (talking && now.isAfter(lastSilentReport.plusSeconds(4))))) {
            Ward w = DemoCity.ward(Role.SILENT);
            post(
                    "/api/sightings",
                    List.of(fix("subjectId", cast.id(w.key()), now.minus(silentFixAge), w.home())),
                    simToken());
            lastSilentReport = now;
            if (!talking) {
                LOG.info("Demo: the watch of {} goes silent now", w.name());
            }
        }
    }

    private static Map<String, Object> fix(String idField, Object id, Instant t, Pt p) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put(idField, id);
        item.put("time", t.toString());
        item.put("lon", Math.round(p.lon() * 1e7) / 1e7);
        item.put("lat", Math.round(p.lat() * 1e7) / 1e7);
        item.put("accuracy", 8);
        return item;
    }

    /** A camera still, drawn here: the demo needs no network. */
    private static String evidence(String track, Instant t) {
        String svg = "<svg xmlns='http://www.w3.org/2000/svg' width='160' height='90'>"
                + "<rect width='160' height='90' fill='#334'/><rect x='60' y='30' width='24' height='44' fill='#cb6'/>"
                + "<circle cx='72' cy='22' r='9' fill='#cb6'/><line x1='84' y1='40' x2='130' y2='10' stroke='#eee'/>"
                + "<text x='4' y='86' font-size='8' fill='#fff'>CAM-1 " + track + " " + t + "</text></svg>";
        return "data:image/svg+xml;charset=utf-8,"
                + URLEncoder.encode(svg, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // Dispatch -------------------------------------------------------------------------------------------------------

    private record Assigned(
            long alertId, String type, long subjectId, long officerId, boolean accepted, boolean arrived, Pt target) {}

    private void dispatch(Instant now) {
        Long[] officers = patrols.stream().map(p -> p.id).toArray(Long[]::new);
        List<Assigned> rows = tx.executeRead(status -> jdbc.prepareStatement(
                """
                SELECT a.id, a.type, a.subject_id, a.assigned_officer_id, a.accepted_at IS NOT NULL,
                       a.arrived_at IS NOT NULL, ST_X(coalesce(sp.pos, a.pos)::geometry),
                       ST_Y(coalesce(sp.pos, a.pos)::geometry)
                FROM alert a LEFT JOIN subject_position sp ON sp.subject_id = a.subject_id
                WHERE a.status = 'DISPATCHED' AND a.assigned_officer_id = ANY(?)""",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("bigint", officers));
                    List<Assigned> list = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            list.add(new Assigned(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getLong(3),
                                    rs.getLong(4),
                                    rs.getBoolean(5),
                                    rs.getBoolean(6),
                                    new Pt(rs.getDouble(7), rs.getDouble(8))));
                        }
                    }
                    return list;
                }));
        Map<Long, Assigned> byOfficer = new HashMap<>();
        rows.forEach(r -> byOfficer.put(r.officerId, r));
        for (Patrol o : patrols) {
            Assigned a = byOfficer.get(o.id);
            if (a == null) {
                o.release();
                continue;
            }
            if (!a.accepted) {
                if (!o.officer.human() && post("/api/alerts/" + a.alertId + "/accept", null, officerToken(o))) {
                    LOG.info("Demo: {} accepts {} alert {}", o.officer.name(), a.type, a.alertId);
                    o.respond(a.alertId, a.target);
                }
                continue;
            }
            o.respond(a.alertId, a.target);
            if (a.arrived && o.onSceneUntil == null) {
                o.onSceneUntil = now.plus(Duration.ofMinutes(3));
            } else if (a.arrived && !o.officer.human() && !now.isBefore(o.onSceneUntil)) {
                boolean workOrder = "WORK_ORDER".equals(a.type);
                Map<String, Object> body = workOrder
                        ? Map.of("result", "演示: 已劝离, 现场处置完毕")
                        : Map.of("outcome", outcome(a.type), "note", "演示: 现场处置完毕");
                String path = workOrder
                        ? "/api/work-orders/" + a.alertId + "/feedback"
                        : "/api/alerts/" + a.alertId + "/resolve";
                if (post(path, body, officerToken(o))) {
                    LOG.info("Demo: {} resolves {} alert {}", o.officer.name(), a.type, a.alertId);
                    escortHome(a.subjectId, o.pos, now);
                    o.release();
                }
            }
        }
    }

    /**
     * Eight simulated minutes in, a passer-by reports children at the water on the Yangtze bank through the public
     * citizen report (as the /report page does); dispatch sends the nearest officer.
     */
    private void citizenReport(Instant now) {
        if (citizenReported || minutes(now) < 8) {
            return;
        }
        citizenReported = true;
        Pt bank = DemoCity.FISHING_SPOT.plus(-400, -40);
        Map<String, Object> body =
                Map.of("kind", "CHILDREN_AT_WATER", "lon", bank.lon(), "lat", bank.lat(), "note", "演示: 几个孩子在江边台阶玩水");
        if (post("/citizen-reports", body, simToken())) {
            LOG.info("Demo: a citizen reported children at the water");
        }
    }

    /**
     * Twelve simulated minutes in, the gas alarm in the kitchen of {@link DemoCity#GAS_ALARM_WARD} (an elder living on
     * her own, at home all along) goes off: the alarm is registered as a dispatcher registers one, then reports through
     * the home sensors' door with its own credentials, as the device would. The family is told and the nearest officer
     * sent (home alarms are dispatched at once).
     */
    private void homeAlarm(Instant now) {
        if (homeAlarmRaised || minutes(now) < 12) {
            return;
        }
        homeAlarmRaised = true;
        Ward ward = DemoCity.WARDS.stream()
                .filter(w -> w.key().equals(DemoCity.GAS_ALARM_WARD))
                .findFirst()
                .orElseThrow();
        String uniqueId = "demo-gas-" + ward.key() + "-" + runId;
        Map<String, Object> sensor = Map.of(
                "kind",
                "GAS",
                "uniqueId",
                uniqueId,
                "lon",
                ward.home().lon(),
                "lat",
                ward.home().lat(),
                "room",
                "厨房");
        String registered =
                send("/api/subjects/" + cast.ids().get(ward.key()) + "/sensors", sensor, "Bearer " + simToken());
        if (registered == null) {
            return;
        }
        String token;
        try {
            token = String.valueOf(json.readValue(registered, Map.class).get("token"));
        } catch (IOException e) {
            warn("the demo gas alarm's registration answer is not JSON: " + registered);
            return;
        }
        String basic = "Basic "
                + Base64.getEncoder().encodeToString((uniqueId + ":" + token).getBytes(StandardCharsets.UTF_8));
        if (send("/ingest/sensors", Map.of("alarm", "GAS", "time", now.toString()), basic) != null) {
            LOG.info("Demo: the gas alarm went off at {}'s home", ward.name());
        }
    }

    private static String outcome(String type) {
        return switch (type) {
            case "WANDER" -> "FOUND";
            case "SOS" -> "ASSISTED";
            case "DANGER" -> "ESCORTED";
            case "LOITER" -> "WARNED";
            default -> "VISITED";
        };
    }

    /** A found ward walks home with the officer. */
    private void escortHome(long subjectId, Pt from, Instant now) {
        for (Ward w : DemoCity.WARDS) {
            if (cast.ids().get(w.key()) == subjectId && w.role() != Role.SILENT) {
                double m = minutes(now);
                double walk = Math.max(1, from.metresTo(w.home()) / 60.0);
                paths.put(w.key(), new Path().at(m, from).at(m + walk, w.home()));
            }
        }
    }

    // HTTP
    // -------------------------------------------------------------------------------------------------------------

    private String simToken() {
        if (simToken == null
                || System.nanoTime() - simTokenAt > Duration.ofMinutes(30).toNanos()) {
            simToken = token(Authentication.build("fuling.simulator", List.of("DISPATCHER"), Map.of()));
            simTokenAt = System.nanoTime();
        }
        return simToken;
    }

    private String officerToken(Patrol o) {
        return token(
                Authentication.build("fuling.sim-" + o.officer.key(), List.of("OFFICER"), Map.of("subjectId", o.id)));
    }

    private String token(Authentication authentication) {
        return tokens.generateToken(authentication, 3600)
                .orElseThrow(() -> new IllegalStateException("cannot sign a token for the demo simulator"));
    }

    private boolean post(String path, Object body, String token) {
        return send(path, body, "Bearer " + token) != null;
    }

    /** POSTs {@code body} as JSON with the {@code authorization} header; the answer's body, or null after a warning. */
    private String send(String path, Object body, String authorization) {
        try {
            byte[] bytes = body == null ? new byte[0] : json.writeValueAsBytes(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                warn("POST " + path + " answered " + response.statusCode() + ": " + response.body());
                return null;
            }
            if (path.equals("/api/sightings") && response.body().contains("\"rejected\":[{")) {
                warn("some demo sightings were rejected: " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            warn("POST " + path + " failed: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return null;
        }
    }

    private void osmand(String deviceId, String token, Instant t, Pt p, double kmh) {
        String query = "?id=" + deviceId + "&timestamp=" + t.getEpochSecond() + "&lat=" + p.lat() + "&lon=" + p.lon()
                + "&speed=" + Math.round(kmh / 1.852 * 10) / 10.0 + "&accuracy=8&batt=80&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(osmandBase + query))
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                warn("OsmAnd report of " + deviceId + " answered " + response.statusCode() + ": " + response.body());
            }
            sent.incrementAndGet();
        } catch (IOException e) {
            warn("OsmAnd report of " + deviceId + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** The OsmAnd token of {@code key}'s device: the seeder makes new ones each time it runs. */
    private String token(String key) {
        DemoSeeder.Cast current = seeder.cast();
        return (current == null ? cast : current).osmandTokens().get(key);
    }

    private void warn(String message) {
        if (System.nanoTime() - lastWarning > 5_000_000_000L) {
            lastWarning = System.nanoTime();
            LOG.warn("Demo simulator: {}", message);
        }
    }

    // Movement
    // ----------------------------------------------------------------------------------------------------------

    /** A piecewise linear walk: places at simulated minutes; before the first and after the last it stands still. */
    static final class Path {
        private final List<double[]> points = new ArrayList<>();

        Path at(double minute, Pt p) {
            points.add(new double[] {minute, p.lon(), p.lat()});
            return this;
        }

        Pt at(double minute) {
            double[] first = points.get(0);
            if (minute <= first[0]) {
                return new Pt(first[1], first[2]);
            }
            for (int i = 1; i < points.size(); i++) {
                double[] a = points.get(i - 1);
                double[] b = points.get(i);
                if (minute <= b[0]) {
                    double f = b[0] == a[0] ? 1 : (minute - a[0]) / (b[0] - a[0]);
                    return new Pt(a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f);
                }
            }
            double[] last = points.get(points.size() - 1);
            return new Pt(last[1], last[2]);
        }

        Path shifted(double east, double north) {
            Path p = new Path();
            for (double[] q : points) {
                p.at(q[0], new Pt(q[1], q[2]).plus(east, north));
            }
            return p;
        }
    }

    private record Visitor(String trackId, Path path, double from, double until, String phone) {}

    /** An officer: patrols a loop, or goes to an alert and stays there until it is resolved. */
    private static final class Patrol {
        final Officer officer;
        final long id;
        Pt pos;
        int next = 1;
        Long alertId;
        Pt target;
        Instant onSceneUntil;

        Patrol(Officer officer, long id) {
            this.officer = officer;
            this.id = id;
        }

        void respond(long alert, Pt where) {
            if (alertId == null || alertId != alert) {
                onSceneUntil = null;
            }
            alertId = alert;
            target = where;
        }

        void release() {
            alertId = null;
            target = null;
            onSceneUntil = null;
        }

        void move(long seconds) {
            double step = officer.kmh() / 3.6 * seconds;
            if (target != null) {
                pos = pos.toward(target, step);
                return;
            }
            List<Pt> loop = officer.loop();
            Pt goal = loop.get(next % loop.size());
            pos = pos.toward(goal, step);
            if (pos.equals(goal)) {
                next = (next + 1) % loop.size();
            }
        }
    }
}
