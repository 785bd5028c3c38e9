package org.geoward.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.geoward.demo.DemoCity.Pt;
import org.geoward.demo.DemoCity.Role;
import org.geoward.demo.DemoCity.Ward;
import org.geoward.device.DeviceListeners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the demo city (the driver; {@link DemoScenario} is the script): runs the simulated clock, sends the cast's
 * positions through the public doors ({@link DemoDoors}: most as {@code POST /api/sightings} to the running server, the
 * wanderer's watch and one patrol car through the OsmAnd listener), fires the scenario's events when their minute
 * comes (SOS, the citizen report, the home gas alarm) and lets {@link DemoOfficers} play the simulated officers through
 * the dispatch API (accept, go to the alert, arrive by fix, resolve).
 *
 * <p>Time is compressed {@code geoward.demo.speed} times (default 30): the simulated clock starts {@code
 * geoward.demo.lead-minutes} (45) before now, runs at speed × real time and never passes now, so every event time is
 * in the past. The wall clock is the season: in December the minors' water fence (a summer schedule in a real
 * deployment) is registered all year, labelled so, and the driver says so at start. The watch of the silent ward
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
    private final AtomicLong sent = new AtomicLong();

    private volatile Thread thread;
    private volatile boolean running;

    // state of the run, touched only by the simulator thread
    private String base;
    private DemoDoors doors;
    private DemoScenario scenario;
    private DemoSeeder.Cast cast;
    private Instant simStart;
    private long realStart;
    private String runId;
    private DemoOfficers officers;
    private boolean sosPressed;
    private boolean citizenReported;
    private boolean homeAlarmRaised;
    private Instant lastSilentReport;

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
                    officers.answer(clock(), this::escortHome);
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
        String osmandBase = listeners
                .osmandAddress()
                .map(a -> "http://" + hostOf(a) + ":" + a.getPort() + "/")
                .orElse(null);
        doors = new DemoDoors(base, osmandBase, tokens, json, sent);
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
        scenario = new DemoScenario(runId);
        officers = new DemoOfficers(cast, doors, jdbc, tx);
        LOG.info(
                "Demo: it is {} on the wall clock. The minors' water fence \"{}\" is registered all year for the demo,"
                        + " as its name says; a real deployment gives it the summer schedule, properties.active.months"
                        + " [6, 7, 8, 9] (docs/key-populations.md)",
                java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).getMonth(),
                DemoCity.CHILDREN_BANK[1]);
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
            Pt p = scenario.at(w.key(), m);
            if (w.role() == Role.COMPANION) {
                String g = DemoScenario.guardianKey(w);
                batch.add(fix("subjectId", cast.id(g), t, scenario.at(g, m)));
            }
            if (w == wanderer && doors.hasOsmand()) {
                doors.osmand("fuling-osmand-" + w.key(), token(w.key()), t, p, 0);
                continue;
            }
            Map<String, Object> item = fix("subjectId", cast.id(w.key()), t, p);
            if (w.role() == Role.SOS && m >= DemoScenario.SOS_MINUTE && !sosPressed) {
                item.put("sos", true);
                sosPressed = true;
            }
            batch.add(item);
        }
        for (DemoScenario.Visitor v : scenario.visitors()) {
            if (m >= v.from() && m <= v.until() + interval.toSeconds() / 60.0) {
                Map<String, Object> item =
                        fix("trackId", v.trackId(), t, v.path().at(m));
                item.put("source", "CAMERA");
                item.put("accuracy", 10);
                item.put("evidenceUrl", evidence(v.trackId(), t));
                if (v.phone() != null) {
                    item.put("phone", v.phone());
                }
                batch.add(item);
            }
        }
        officers.patrol(t, interval, batch, this::token);
        doors.post("/api/sightings", batch, doors.simToken());
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
            doors.post(
                    "/api/sightings",
                    List.of(fix("subjectId", cast.id(w.key()), now.minus(silentFixAge), w.home())),
                    doors.simToken());
            lastSilentReport = now;
            if (!talking) {
                LOG.info("Demo: the watch of {} goes silent now", w.name());
            }
        }
    }

    /** One item of a {@code POST /api/sightings} batch: the subject, device or track named by {@code idField}. */
    static Map<String, Object> fix(String idField, Object id, Instant t, Pt p) {
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

    /**
     * Eight simulated minutes in, a passer-by reports children at the water on the Yangtze bank through the public
     * citizen report (as the /report page does); dispatch sends the nearest officer.
     */
    private void citizenReport(Instant now) {
        if (citizenReported || minutes(now) < DemoScenario.CITIZEN_REPORT_MINUTE) {
            return;
        }
        citizenReported = true;
        Pt bank = DemoScenario.CITIZEN_REPORT_PLACE;
        Map<String, Object> body =
                Map.of("kind", "CHILDREN_AT_WATER", "lon", bank.lon(), "lat", bank.lat(), "note", "演示: 几个孩子在江边台阶玩水");
        if (doors.post("/citizen-reports", body, doors.simToken())) {
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
        if (homeAlarmRaised || minutes(now) < DemoScenario.GAS_ALARM_MINUTE) {
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
        String registered = doors.send(
                "/api/subjects/" + cast.ids().get(ward.key()) + "/sensors", sensor, "Bearer " + doors.simToken());
        if (registered == null) {
            return;
        }
        Map<?, ?> answer = doors.read(registered, "the demo gas alarm's registration answer");
        if (answer == null) {
            return;
        }
        String token = String.valueOf(answer.get("token"));
        String basic = "Basic "
                + Base64.getEncoder().encodeToString((uniqueId + ":" + token).getBytes(StandardCharsets.UTF_8));
        if (doors.send("/ingest/sensors", Map.of("alarm", "GAS", "time", now.toString()), basic) != null) {
            LOG.info("Demo: the gas alarm went off at {}'s home", ward.name());
        }
    }

    /** A found ward walks home with the officer. */
    private void escortHome(long subjectId, Pt from, Instant now) {
        for (Ward w : DemoCity.WARDS) {
            if (cast.ids().get(w.key()) == subjectId && w.role() != Role.SILENT) {
                scenario.walkHome(w, from, minutes(now));
            }
        }
    }

    /** The OsmAnd token of {@code key}'s device: the seeder makes new ones each time it runs. */
    private String token(String key) {
        DemoSeeder.Cast current = seeder.cast();
        return (current == null ? cast : current).osmandTokens().get(key);
    }
}
