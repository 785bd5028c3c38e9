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
import java.util.List;
import java.util.Optional;
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
 * invalid). While ingest answers "busy" or the database is away the message is tried again with backoff and not
 * acknowledged; if the server stops meanwhile, the broker delivers it again to the next session. After a lost
 * connection the client reconnects with backoff (1 s doubling to {@code geoward.mqtt.max-backoff}, 30 s).
 * Thread-safe.
 */
@Singleton
@Requires(property = "geoward.mqtt.url", pattern = ".+")
final class OwnTracksMqtt implements MqttCallback {
    private static final Logger LOG = LoggerFactory.getLogger(OwnTracksMqtt.class);
    private static final String PROTOCOL = "OWNTRACKS";
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

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
    private volatile boolean running = true;
    private volatile MqttClient client;
    private Thread connector;

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
        if (connector == null) {
            connector = new Thread(this::connectLoop, "mqtt-connect");
            connector.setDaemon(true);
            connector.start();
        }
    }

    /** Connects and subscribes, trying again with backoff until it succeeds or the server stops. */
    private void connectLoop() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
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
        connected.set(0);
        if (!running) {
            return;
        }
        LOG.warn("MQTT: connection to {} lost ({}); reconnecting", url, String.valueOf(cause));
        synchronized (this) {
            connector = new Thread(this::connectLoop, "mqtt-connect");
            connector.setDaemon(true);
            connector.start();
        }
    }

    @Override
    public void messageArrived(String topicName, MqttMessage message) {
        received.increment();
        if (handle(topicName, new String(message.getPayload(), StandardCharsets.UTF_8))) {
            try {
                client.messageArrivedComplete(message.getId(), message.getQos());
            } catch (MqttException e) {
                // not acknowledged: the broker delivers it again; a stored fix then counts as a duplicate
                LOG.info("MQTT: could not acknowledge message {} ({})", message.getId(), e.toString());
            }
        }
    }

    /**
     * Records one message; true when it may be acknowledged (stored, or refused for good), false when the server is
     * stopping before it could be stored (then the broker delivers it again).
     */
    boolean handle(String topicName, String payload) {
        Optional<String> uniqueId = userOf(topicName);
        if (uniqueId.isEmpty()) {
            refuse(topicName, "topic is not owntracks/<user>/<device>");
            return true;
        }
        Sighting own;
        try {
            Optional<Sighting> decoded = decoder.decode(payload, uniqueId.get());
            if (decoded.isEmpty()) {
                return true;
            }
            // the device is who the topic says, whatever the message's tid
            own = decoded.get().toBuilder().device(uniqueId.get()).build();
        } catch (DecodeException e) {
            refuse(topicName, e.getMessage());
            return true;
        }
        return store(topicName, own);
    }

    /**
     * Checks the device and stores the fix, waiting out busy ingest and database outages (the device lookup needs the
     * database too); false if the server stopped first.
     */
    private boolean store(String topicName, Sighting position) {
        Duration backoff = Duration.ofMillis(200);
        int failures = 0;
        while (running) {
            try {
                if (!ingest.isKnown(position.deviceId(), PROTOCOL, "mqtt:" + topicName)) {
                    dropped.increment();
                    return true;
                }
                RecordResult result = ingest.record(List.of(position));
                if (!result.rejected().isEmpty()) {
                    refuse(topicName, result.rejected().get(0).error());
                }
                return true;
            } catch (ProblemException e) {
                if (e.status() != HttpStatus.SERVICE_UNAVAILABLE) {
                    refuse(topicName, e.getMessage());
                    return true;
                }
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isTransient(e) && ++failures >= 5) {
                    LOG.error("MQTT: a message on {} failed 5 times; acknowledged without storing it", topicName, e);
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
        Thread c = connector;
        if (c != null) {
            c.interrupt();
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
