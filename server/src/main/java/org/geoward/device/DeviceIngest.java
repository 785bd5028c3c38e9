package org.geoward.device;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.geoward.evaluate.AlertType;
import org.geoward.security.PasswordHasher;
import org.geoward.sensor.HomeAlarms;
import org.geoward.sighting.LatestPositions;
import org.geoward.sighting.RecordResult;
import org.geoward.sighting.Sighting;
import org.geoward.sighting.SightingService;
import org.geoward.subject.DeviceBinding;
import org.geoward.subject.SubjectDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every device protocol hands its positions: checks that the device is registered (and its token, where it
 * has one), records unknown devices for an admin to claim, and sends the positions down the same path as
 * {@code POST /api/sightings} (validation, dedupe, order, evaluation, alerts). Blocks on the database: call it
 * off the network threads. Thread-safe.
 */
@Singleton
public class DeviceIngest {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceIngest.class);

    private final SubjectDirectory directory;
    private final SightingService sightings;
    private final PasswordHasher hasher;
    private final JdbcOperations jdbc;
    private final LatestPositions latest;
    private final HomeAlarms homeAlarms;
    private static final int MAX_VERIFIED_TOKENS = 100_000;
    private final Map<String, String> verifiedTokens = new ConcurrentHashMap<>();

    DeviceIngest(
            SubjectDirectory directory,
            SightingService sightings,
            PasswordHasher hasher,
            JdbcOperations jdbc,
            LatestPositions latest,
            HomeAlarms homeAlarms) {
        this.latest = latest;
        this.homeAlarms = homeAlarms;
        this.directory = directory;
        this.sightings = sightings;
        this.hasher = hasher;
        this.jdbc = jdbc;
    }

    /** How a device's credentials checked out. */
    public enum Check {
        OK,
        UNKNOWN_DEVICE,
        BAD_TOKEN
    }

    /**
     * Checks a device: registered, and if it has a token, {@code token} matches it. Unknown devices are counted in
     * {@code unknown_device} with the protocol and remote address.
     *
     * @param token the token the request carried, or null
     */
    public Check check(String uniqueId, String protocol, String token, String remote) {
        Optional<DeviceBinding> device = directory.deviceByUniqueId(uniqueId);
        if (device.isEmpty()) {
            recordUnknown(uniqueId, protocol, remote);
            return Check.UNKNOWN_DEVICE;
        }
        String hash = device.get().tokenHash();
        if (hash != null && (token == null || !tokenMatches(uniqueId, token, hash))) {
            return Check.BAD_TOKEN;
        }
        return Check.OK;
    }

    /**
     * Checks a device token against its bcrypt hash. A bcrypt check costs tens of milliseconds, and an app sends a
     * fix every few seconds with the same token, so a token once verified is remembered (as a SHA-256 digest, never
     * in clear) with the hash it matched: a new token or a re-registered device misses the cache.
     */
    private boolean tokenMatches(String uniqueId, String token, String hash) {
        String key = hash + '\n' + sha256(token);
        if (key.equals(verifiedTokens.get(uniqueId))) {
            return true;
        }
        if (!hasher.matches(token, hash)) {
            return false;
        }
        if (verifiedTokens.size() >= MAX_VERIFIED_TOKENS) {
            verifiedTokens.clear();
        }
        verifiedTokens.put(uniqueId, key);
        return true;
    }

    private static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Whether a device with this unique id is registered (GT06 login); unknown ones are recorded. */
    public boolean isKnown(String uniqueId, String protocol, String remote) {
        return check(uniqueId, protocol, null, remote) != Check.UNKNOWN_DEVICE;
    }

    /**
     * Records decoded positions of already checked devices (each names its device by unique id); the result is as for
     * {@code POST /api/sightings}.
     */
    public RecordResult record(List<Sighting> positions) {
        List<Sighting> inputs = new ArrayList<>(positions.size());
        for (Sighting p : positions) {
            inputs.add(!p.hasPosition() && p.sos() ? atLastKnownPosition(p) : p);
        }
        RecordResult result = sightings.record(inputs);
        Set<Integer> refused = new HashSet<>();
        for (RecordResult.Rejection r : result.rejected()) {
            refused.add(r.index());
            LOG.info("Device {} position refused: {}", positions.get(r.index()).deviceId(), r.error());
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!refused.contains(i)) {
                raiseHomeAlarm(inputs.get(i));
            }
        }
        return result;
    }

    /**
     * A tracker that reports a fall (or a door, at night) raises that home alarm for its subject where the fix was
     * taken, besides the position itself; repeats of it while the alert is open raise nothing new.
     */
    private void raiseHomeAlarm(Sighting p) {
        Optional<AlertType> type = HomeAlarms.ofTrackerAlarm(p.extras().get("alarm"));
        if (type.isEmpty() || !p.hasPosition() || p.deviceId() == null) {
            return;
        }
        directory.deviceByUniqueId(p.deviceId()).ifPresent(device -> {
            HomeAlarms.Result r = homeAlarms.raise(new HomeAlarms.Alarm(
                    device.subjectId(),
                    type.get(),
                    p.lon(),
                    p.lat(),
                    p.time(),
                    Map.of("uniqueId", p.deviceId(), "alarm", p.extras().get("alarm"))));
            LOG.info("Device {} reports {}: {} (alert {})", p.deviceId(), type.get(), r.outcome(), r.alertId());
        });
    }

    /**
     * Places an SOS that came without a position where its subject was last seen, with that fix's accuracy (and
     * {@code lastFixAt} in the extras), so the alarm reaches the family and dispatch. With no earlier position the
     * coordinates stay missing and validation refuses it (logged by {@link #record}).
     */
    private Sighting atLastKnownPosition(Sighting p) {
        Optional<Sighting> placed = directory
                .deviceByUniqueId(p.deviceId())
                .flatMap(device -> latest.of(device.subjectId())
                        .map(l -> new SubjectDirectory.LastPosition(l.lon(), l.lat(), l.accuracy(), l.time()))
                        .or(() -> directory.lastPosition(device.subjectId())))
                .map(last -> p.toBuilder()
                        .at(last.lon(), last.lat())
                        .accuracy(last.accuracy())
                        .speed(null)
                        .heading(null)
                        .altitude(null)
                        .extra("position", "last-known")
                        .extra("lastFixAt", last.time().toString())
                        .build());
        if (placed.isEmpty()) {
            LOG.warn("SOS from device {} came without a position, and its subject has none yet", p.deviceId());
        }
        return placed.orElse(p);
    }

    @Transactional
    void recordUnknown(String uniqueId, String protocol, String remote) {
        jdbc.prepareStatement(
                """
                INSERT INTO unknown_device (unique_id, protocol, first_seen, last_seen, attempts, remote)
                VALUES (?, ?, now(), now(), 1, ?)
                ON CONFLICT (unique_id, protocol)
                DO UPDATE SET last_seen = now(), attempts = unknown_device.attempts + 1, remote = EXCLUDED.remote""",
                ps -> {
                    ps.setString(1, uniqueId);
                    ps.setString(2, protocol);
                    ps.setString(3, remote);
                    return ps.executeUpdate();
                });
        LOG.info("Unknown {} device {} from {}: listed for an admin to claim", protocol, uniqueId, remote);
    }

    /** Unknown devices that tried to report, newest first. */
    @Transactional
    public List<UnknownDevice> unknownDevices() {
        return jdbc.prepareStatement(
                "SELECT unique_id, protocol, first_seen, last_seen, attempts, remote FROM unknown_device"
                        + " WHERE NOT EXISTS (SELECT 1 FROM device d WHERE d.unique_id = unknown_device.unique_id)"
                        + " ORDER BY last_seen DESC LIMIT 500",
                ps -> {
                    List<UnknownDevice> list = new ArrayList<>();
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            list.add(new UnknownDevice(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getTimestamp(3).toInstant(),
                                    rs.getTimestamp(4).toInstant(),
                                    rs.getInt(5),
                                    rs.getString(6)));
                        }
                    }
                    return list;
                });
    }

    /** A device that reported without being registered. */
    @io.micronaut.serde.annotation.Serdeable
    public record UnknownDevice(
            String uniqueId, String protocol, Instant firstSeen, Instant lastSeen, int attempts, String remote) {}
}
