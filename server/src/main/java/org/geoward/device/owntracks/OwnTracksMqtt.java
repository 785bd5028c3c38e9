package org.geoward.device.owntracks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.http.HttpStatus;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.geoward.device.DecodeException;
import org.geoward.device.DeviceIngest;
import org.geoward.problem.DatabaseFailures;
import org.geoward.problem.ProblemException;
import org.geoward.sighting.RecordResult;
import org.geoward.sighting.Sighting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OwnTracks over MQTT: subscribes to {@code owntracks/+/+} (QoS 1) on the broker at {@code geoward.mqtt.url}
 * ({@code GEOWARD_MQTT_URL}) and feeds every location and transition into the same pipeline as the HTTP door.
 *
 * <p>Who published is the broker's business: it authenticates each phone (its user name and password) and its ACL
 * lets a user publish only under {@code owntracks/<user>/}; Geoward takes the topic's user part as the device's
 * unique id, the same id the HTTP door takes from the Basic credentials, so one device registration (protocol
 * OWNTRACKS) serves both. A device that is not registered is listed for an admin to claim, as at the other doors.
 *
 * <p>Nothing acknowledged is lost: the session is persistent (clean session off, one fixed client id) and a message
 * is acknowledged to the broker only once its fix is committed (or refused for good: malformed, unknown device,
 * invalid). The messages in flight from the broker are stored together by one thread (up to 500 in one group commit)
 * and acknowledged in the order they arrived; one at a time, a message waited for its own commit (about 270 a second). While ingest answers "busy" or the database is away the message is tried again with backoff and not
 * acknowledged; if the server stops meanwhile, the broker delivers it again to the next session. After a lost
 * connection the client reconnects with backoff (1 s doubling to {@code geoward.mqtt.max-backoff}, 30 s). A batch
 * that fails unexpectedly, or an acknowledgement that cannot be sent, drops the connection and makes it again: the
 * broker resends unacknowledged messages only to a new connection, and stops sending once its in-flight window is
 * full of them. Thread-safe.
 */
@Singleton
@Requires(property = "geoward.mqtt.url", pattern = ".+")
final class OwnTracksMqtt implements MqttCallback {
    private static final Logger LOG = LoggerFactory.getLogger(OwnTracksMqtt.class);
    private static final String PROTOCOL = "OWNTRACKS";
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    /** The most messages stored together (one group commit). */
    private static final int MAX_BATCH = 500;

    /** A message as Paho delivered it, on the connection {@code session}. */
    private record Arrived(int session, String topic, MqttMessage message) {}

    /** A message's topic and payload. */
    record Incoming(String topic, String payload) {}

    private final DeviceIngest ingest;
    private final OwnTracksDecoder decoder = new OwnTracksDecoder();
    private final String url;
    private final String user;
    private final String password;
    private final String clientId;
    private final String topic;
    private final Duration maxBackoff;
    private final AtomicInteger connected = new AtomicInteger();
    private final Counter received;
    private final Counter dropped;
    /** Messages received and not yet stored, in the order they arrived. */
    private final BlockingQueue<Arrived> arrived = new LinkedBlockingQueue<>();
    /** The connection the messages arrive on: counted up when it is lost. */
    private final AtomicInteger session = new AtomicInteger();

    private volatile boolean running = true;
    private volatile MqttClient client;
    private Thread connector;
    private Thread storer;

    OwnTracksMqtt(
            DeviceIngest ingest,
            MeterRegistry registry,
            @Value("${geoward.mqtt.url}") String url,
            @Value("${geoward.mqtt.user:}") String user,
            @Value("${geoward.mqtt.password:}") String password,
            @Value("${geoward.mqtt.client-id:geoward}") String clientId,
            @Value("${geoward.mqtt.topic:owntracks/+/+}") String topic,
            @Value("${geoward.mqtt.max-backoff:30s}") Duration maxBackoff) {
        this.ingest = ingest;
        this.url = url.trim();
        this.user = user;
        this.password = password;
        this.clientId = clientId;
        this.topic = topic;
        this.maxBackoff = maxBackoff;
        Gauge.builder("geoward.mqtt.connected", connected, AtomicInteger::get)
                .description("1 while connected to the MQTT broker, else 0")
                .register(registry);
        this.received = Counter.builder("geoward.mqtt.messages")
                .description("OwnTracks messages received over MQTT")
                .tag("outcome", "received")
                .register(registry);
        this.dropped = Counter.builder("geoward.mqtt.messages")
                .description("OwnTracks messages received over MQTT")
                .tag("outcome", "refused")
                .register(registry);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        start();
    }

    synchronized void start() {
        if (storer == null) {
            storer = new Thread(this::storeLoop, "mqtt-store");
            storer.setDaemon(true);
            storer.start();
        }
        if (connector == null) {
            startConnector();
        }
    }

    /** Connects and subscribes, trying again with backoff until it succeeds or the server stops. */
    private void connectLoop() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            MqttClient c = client;
            if (c != null && c.isConnected()) {
                return; // another connect loop got there first
            }
            try {
                connect();
                return;
            } catch (MqttException e) {
                LOG.warn("MQTT broker {} not reachable ({}); trying again in {} s", url, e, backoff.toSeconds());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    private void connect() throws MqttException {
        MqttClient c = client;
        if (c == null) {
            c = new MqttClient(url, clientId, new MemoryPersistence());
            c.setCallback(this);
            c.setManualAcks(true);
            client = c;
        }
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        options.setMaxInflight(100);
        if (!user.isBlank()) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        c.connect(options);
        c.subscribe(topic, 1);
        connected.set(1);
        LOG.info("MQTT: connected to {} as {}, subscribed to {} (QoS 1)", url, clientId, topic);
    }

    @Override
    public void connectionLost(Throwable cause) {
        forgetSession();
        if (!running) {
            return;
        }
        LOG.warn("MQTT: connection to {} lost ({}); reconnecting", url, String.valueOf(cause));
        startConnector();
    }

    /** What arrived on the connection and is not stored yet is not acknowledged: the broker delivers it again. */
    private void forgetSession() {
        connected.set(0);
        session.incrementAndGet();
        arrived.clear();
    }

    private synchronized void startConnector() {
        connector = new Thread(this::connectLoop, "mqtt-connect");
        connector.setDaemon(true);
        connector.start();
    }

    /**
     * Queues the message for the storing thread, which acknowledges it once stored: Paho's callback thread goes on to
     * the next message meanwhile, so the messages the broker has in flight to Geoward are stored together.
     */
    @Override
    public void messageArrived(String topicName, MqttMessage message) {
        received.increment();
        arrived.add(new Arrived(session.get(), topicName, message));
    }

    /** Stores what arrived, up to {@link #MAX_BATCH} messages at a time, and acknowledges them in order. */
    private void storeLoop() {
        List<Arrived> batch = new ArrayList<>();
        while (running) {
            try {
                Arrived first = arrived.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                arrived.drainTo(batch, MAX_BATCH - 1);
                List<Incoming> messages = new ArrayList<>(batch.size());
                for (Arrived a : batch) {
                    messages.add(new Incoming(a.topic(), new String(a.message().getPayload(), StandardCharsets.UTF_8)));
                }
                if (handle(messages)) {
                    acknowledge(batch);
                }
            } catch (InterruptedException e) {
                // stop() sets running first
            } catch (RuntimeException e) {
                // not acknowledged: the broker holds unacknowledged messages back until the client reconnects (and
                // stops sending once its in-flight window is full), so the connection is dropped and made again
                LOG.error("MQTT: storing {} messages failed; not acknowledged, reconnecting", batch.size(), e);
                reconnect();
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Acknowledges the messages, in the order they arrived, except those of a connection since lost: their ids are
     * the old session's, and the broker delivers them again.
     */
    private void acknowledge(List<Arrived> batch) {
        MqttClient c = client;
        for (Arrived a : batch) {
            if (a.session() != session.get()) {
                continue;
            }
            try {
                c.messageArrivedComplete(a.message().getId(), a.message().getQos());
            } catch (MqttException e) {
                // not acknowledged: the broker delivers it again after a reconnection (a stored fix then counts as a
                // duplicate); one left unacknowledged on a live connection would hold its slot in flight for good
                LOG.info(
                        "MQTT: could not acknowledge message {} ({}); reconnecting",
                        a.message().getId(),
                        e.toString());
                reconnect();
                return;
            }
        }
    }

    /**
     * Drops the connection and makes a new one, so that the broker delivers again what was not acknowledged on it
     * (MQTT 3.1.1 resends unacknowledged messages only on a new connection of the same session).
     */
    private void reconnect() {
        MqttClient c = client;
        if (c == null || !running) {
            return;
        }
        forgetSession();
        try {
            c.disconnectForcibly(0, 1_000);
        } catch (MqttException e) {
            LOG.debug("MQTT: disconnect: {}", e.toString());
        }
        startConnector();
    }

    /**
     * Records one message; true when it may be acknowledged (stored, or refused for good), false when the server is
     * stopping before it could be stored (then the broker delivers it again).
     */
    boolean handle(String topicName, String payload) {
        return handle(List.of(new Incoming(topicName, payload)));
    }

    /**
     * Records messages together (one group commit for all their fixes); true when they may all be acknowledged (each
     * stored, or refused for good), false when the server is stopping before they could be stored.
     */
    boolean handle(List<Incoming> messages) {
        List<String> topics = new ArrayList<>(messages.size());
        List<Sighting> positions = new ArrayList<>(messages.size());
        for (Incoming m : messages) {
            Optional<String> uniqueId = userOf(m.topic());
            if (uniqueId.isEmpty()) {
                refuse(m.topic(), "topic is not owntracks/<user>/<device>");
                continue;
            }
            try {
                Optional<Sighting> decoded = decoder.decode(m.payload(), uniqueId.get());
                if (decoded.isPresent()) {
                    // the device is who the topic says, whatever the message's tid
                    positions.add(
                            decoded.get().toBuilder().device(uniqueId.get()).build());
                    topics.add(m.topic());
                }
            } catch (DecodeException e) {
                refuse(m.topic(), e.getMessage());
            } catch (RuntimeException e) {
                // a decoder bug: the same bytes fail the same way when the broker sends them again, so holding the
                // message back would only stop every message behind it; it is refused, loudly
                LOG.error("MQTT: message on {} could not be decoded; refused", m.topic(), e);
                dropped.increment();
            }
        }
        return positions.isEmpty() || store(topics, positions);
    }

    /**
     * Checks the devices and stores the fixes, waiting out busy ingest and database outages (the device lookup needs
     * the database too); false if the server stopped first. A batch that fails for any other reason is stored one
     * message at a time, so that only the message at fault is refused.
     */
    private boolean store(List<String> topics, List<Sighting> positions) {
        Duration backoff = Duration.ofMillis(200);
        int failures = 0;
        while (running) {
            try {
                List<String> knownTopics = new ArrayList<>(topics.size());
                List<Sighting> known = new ArrayList<>(positions.size());
                int unknown = 0;
                for (int i = 0; i < positions.size(); i++) {
                    if (ingest.isKnown(positions.get(i).deviceId(), PROTOCOL, "mqtt:" + topics.get(i))) {
                        known.add(positions.get(i));
                        knownTopics.add(topics.get(i));
                    } else {
                        unknown++;
                    }
                }
                RecordResult result = known.isEmpty() ? null : ingest.record(known);
                dropped.increment(unknown);
                if (result != null) {
                    for (RecordResult.Rejection r : result.rejected()) {
                        refuse(knownTopics.get(r.index()), r.error());
                    }
                }
                return true;
            } catch (ProblemException e) {
                if (e.status() != HttpStatus.SERVICE_UNAVAILABLE) {
                    if (positions.size() > 1) {
                        return storeOneByOne(topics, positions);
                    }
                    refuse(topics.get(0), e.getMessage());
                    return true;
                }
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isTransient(e) && ++failures >= 5) {
                    if (positions.size() > 1) {
                        return storeOneByOne(topics, positions);
                    }
                    LOG.error(
                            "MQTT: a message on {} failed 5 times; acknowledged without storing it", topics.get(0), e);
                    dropped.increment();
                    return true;
                }
            }
            sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                    ? Duration.ofSeconds(5)
                    : backoff.multipliedBy(2);
        }
        return false;
    }

    private boolean storeOneByOne(List<String> topics, List<Sighting> positions) {
        for (int i = 0; i < positions.size(); i++) {
            if (!store(List.of(topics.get(i)), List.of(positions.get(i)))) {
                return false;
            }
        }
        return true;
    }

    private void refuse(String topicName, String why) {
        dropped.increment();
        LOG.info("MQTT: message on {} refused: {}", topicName, why);
    }

    /** The user part of {@code owntracks/<user>/<device>}. */
    static Optional<String> userOf(String topicName) {
        String[] parts = topicName.split("/", -1);
        if (parts.length != 3 || parts[1].isBlank() || parts[2].isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parts[1]);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // Geoward publishes nothing
    }

    /** Whether the client is connected to the broker now. */
    boolean isConnected() {
        return connected.get() == 1;
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            // stop() sets running first; any other interruption only cuts this wait short
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        for (Thread t : new Thread[] {connector, storer}) {
            if (t != null) {
                t.interrupt();
            }
        }
        MqttClient m = client;
        if (m != null) {
            try {
                if (m.isConnected()) {
                    m.disconnect(2_000);
                }
                m.close();
            } catch (MqttException e) {
                LOG.debug("MQTT: close: {}", e.toString());
            }
        }
        connected.set(0);
    }
}
